// Worker threads do not inherit the parent's module loader. In the compiled build (dist/) the module beside a
// thread's entry is JavaScript and is imported as is; run from the sources (tests, `npx tsx`) it is TypeScript,
// so the thread registers tsx (a dev dependency) first. Production never loads tsx.
import { existsSync } from 'node:fs';

/** Imports `<name>.js` beside `base` when it exists (compiled), else `<name>.ts` through tsx. */
export async function importThreadModule(base, name) {
  const compiled = new URL(`./${name}.js`, base);
  if (existsSync(compiled)) return import(compiled.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`./${name}.ts`, base).href);
}
