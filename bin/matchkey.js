#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` through `prepare`, or `npm run compile`): plain JavaScript,
// no TypeScript loader at start-up. Developers and the tests run the sources: `npx tsx src/cli/main.ts`.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('matchkey: the compiled build (dist/) is missing: run `npm run compile` (or `npm install`) first\n');
  process.exit(2);
}
await import(main.href);
