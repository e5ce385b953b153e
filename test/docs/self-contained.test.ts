import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The user docs stand on their own: what a user needs is in the repository, so no document may send the reader
// to a file that does not ship (design notes, spec files outside the repository) or to an issue number.

const ROOT = new URL('../../', import.meta.url).pathname;
const FORBIDDEN = [/DESIGN\.md/, /PLATFORMS\.md/, /USER-NEEDS\.md/, /\.\.\/shared|shared\/specs/, /\bissues? #?\d+/i];

function markdownFiles(dir: string, all = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : markdownFiles(path, all);
    return e.name.endsWith('.md') && (all || e.name === 'README.md') ? [path] : [];
  });
}

function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : codeFiles(path);
    return /\.(ts|tsx|mjs|js|sql)$/.test(e.name) ? [path] : [];
  });
}

function hitsIn(files: string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => FORBIDDEN.filter((re) => re.test(line)).map((re) => `${relative(ROOT, file)}:${i + 1}: ${re.source}`)),
  );
}

describe('user docs are self-contained', () => {
  it('README.md, docs/ and the READMEs under src/ reference no file outside the repository and no issue number', () => {
    const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'), true), ...markdownFiles(join(ROOT, 'src'))];
    expect(hitsIn(files)).toEqual([]);
  });

  it('code comments cite files in the repository or public sources, never design notes outside it or issue numbers', () => {
    const self = new URL(import.meta.url).pathname;
    const files = ['src', 'test', 'bench', 'chaos', 'scripts', 'bin', join('web', 'src')].flatMap((d) => codeFiles(join(ROOT, d))).filter((f) => f !== self);
    expect(files.length).toBeGreaterThan(100);
    expect(hitsIn(files)).toEqual([]);
  });
});
