// `npm install` runs this (`prepare`), as does `npm run compile`: src/ → dist/ with tsc, plus the files the code
// reads beside itself at run time (SQL, migrations, JSON schemas, browser scripts, worker-thread entries), so
// bin/matchkey.js runs plain JavaScript with no TypeScript loader. A production install (`npm ci --omit=dev`) has
// no TypeScript: it keeps the dist/ that shipped with the package (`npm pack`, deploy/install.sh) and stops with a
// clear message when there is none.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (existsSync(join(DIST, 'cli/main.js'))) {
    console.log('matchkey: TypeScript is not installed (a production install?); keeping the compiled dist/.');
    process.exit(0);
  }
  console.error('matchkey: TypeScript is not installed and there is no compiled dist/: install with dev dependencies (`npm ci`), or use deploy/install.sh.');
  process.exit(1);
}

// A clean build: a file deleted or renamed in src/ must not survive in dist/.
rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });

/** Every file tsc does not emit and the code reads at run time; tests, fixtures and docs stay behind. */
const SKIP_DIRS = new Set(['testing', 'golden', 'testdata']);
function copyAssets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const from = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) copyAssets(from);
    } else if (!/\.(ts|md)$/.test(entry.name)) {
      const to = join(DIST, relative(SRC, from));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to);
    }
  }
}
copyAssets(SRC);
