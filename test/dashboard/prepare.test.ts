import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../gateway/harness.js';

// `prepare` runs on every install. A production install (`npm install --omit=dev`) has no Vite: the install must
// still succeed (it failed with "vite: not found" before), the dashboard simply stays unbuilt.

const scratch = mkdtempSync(join(tmpdir(), 'mk-prepare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm prepare (web/prepare.mjs)', () => {
  it('is what package.json runs on install', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    // The compile step (src → dist) comes first; the dashboard build after it.
    expect(pkg.scripts.prepare).toBe('node scripts/compile.mjs && node web/prepare.mjs');
  });

  it('without Vite installed: exits 0, says the dashboard was not built, and builds nothing', () => {
    // A copy outside the checkout, where no node_modules can resolve Vite.
    mkdirSync(join(scratch, 'web'));
    copyFileSync(join(ROOT, 'web/prepare.mjs'), join(scratch, 'web/prepare.mjs'));
    const out = execFileSync(process.execPath, ['web/prepare.mjs'], { cwd: scratch, encoding: 'utf8' });
    expect(out).toContain('the dashboard was not built');
    expect(existsSync(join(scratch, 'web/dist'))).toBe(false);
  });
});
