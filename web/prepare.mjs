// `npm install` / `npm ci` run this (`prepare`): it builds the dashboard into web/dist when Vite is installed. A
// production install (`npm install --omit=dev`, `npm ci --omit=dev`) has no Vite, and must not fail for a part the
// gateway can run without: it is skipped with a notice, and the gateway serves a page at `/` saying how to build
// it (docs/DEPLOYMENT.md "Production install").
import { existsSync } from 'node:fs';

let vite;
try {
  vite = await import('vite');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  // An installed release (deploy/install.sh) ships web/dist built: nothing to do, nothing to warn about.
  if (existsSync(new URL('./dist/index.html', import.meta.url))) process.exit(0);
  console.log('matchkey: Vite is not installed (a production install?), so the dashboard was not built. Build it where dev dependencies are installed (`npm run build`) and copy web/dist, or see docs/DEPLOYMENT.md.');
  process.exit(0);
}
await vite.build({ configFile: new URL('./vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
