import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard's build (`npm run build`, also run by `npm install` as `prepare`): web/src → web/dist, served by
// the gateway at `/` (src/server/routes/dashboard.ts). Preact's JSX is compiled by Vite's own transform (no Babel
// preset): the automatic runtime with preact as its import source.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline scripts or data: URLs (the gateway's Content-Security-Policy forbids them).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
