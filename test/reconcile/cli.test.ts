import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/outbox/open.js';
import { seedMarch } from './store-helpers.js';
import { cliArgs } from '../../src/cli/testing/cli-args.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const F = 'test/fixtures/reconcile';

function matchkey(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(args), { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const WINDOW = ['--from', '2025-01-01', '--to', '2025-01-31', '--as-of', '2025-02-05'];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('matchkey reconcile (a real process)', () => {
  it('--json prints the documented shape with the answers computed by hand (see src/reconcile/report.test.ts)', async () => {
    const r = await matchkey(['reconcile', '--orders', `${F}/shopify-orders-bom.csv`, '--attributed', `${F}/attributed-generic.csv`, '--attributed', `${F}/pinterest-export.csv`, ...WINDOW, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.window).toEqual({ from: '2025-01-01', to: '2025-01-31', as_of: '2025-02-05' });
    expect(report.orders_of_record).toMatchObject({
      read: 13,
      count: 7,
      revenue: 405,
      currency: 'USD',
      excluded: { test: 1, cancelled: 1, unknown_status: 0, unpaid: 1, refunded: 1 },
      unknown_statuses: {},
      outside_window: 2,
      refunded_amount: 25,
    });
    expect(report.platforms.meta).toMatchObject({ attributed_conversions: 4, attributed_value: 375, share: 0.5714, value_share: 0.9259, attribution_window: '7d_click,1d_view', immature_days: 2 });
    expect(report.platforms.pinterest).toMatchObject({ attributed_conversions: 3, immature_days: 25 });
    expect(report.delivery).toEqual({});
    expect(typeof report.note).toBe('string');
  });

  it('prints a readable table by default, with a platform given by PLATFORM=FILE and a window override', async () => {
    const r = await matchkey(['reconcile', '--orders', `${F}/shopify-orders.csv`, '--attributed', `tiktok=${F}/tiktok-export.csv`, '--window', 'tiktok=1d_click', ...WINDOW]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Orders of record \(test\/fixtures\/reconcile\/shopify-orders\.csv\)/);
    expect(r.stdout).toMatch(/read\s+13 orders = 7 kept \+ 4 left out \(1 test \+ 1 cancelled \+ 0 unknown_status \+ 1 unpaid \+ 1 refunded\) \+ 2 outside the window/);
    // 1-day click: only Jan 31 + 1 > Feb 5 is false → no immature day.
    expect(r.stdout).toMatch(/tiktok\s+1d_click \(override\)\s+3\s+120\.00 USD\s+42\.9%\s+29\.6%\s+0\s/);
    expect(r.stdout).toMatch(/Note: No total across platforms/);
  });

  it('exits 2 naming a missing file', async () => {
    const r = await matchkey(['reconcile', '--orders', `${F}/no-such-orders.csv`, ...WINDOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-orders\.csv: no such file/);
    const a = await matchkey(['reconcile', '--orders', `${F}/shopify-orders.csv`, '--attributed', `${F}/missing-meta.csv`, ...WINDOW]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/missing-meta\.csv/);
  });

  it('exits 2 on a bad date, a reversed window, or a bad cell (naming it)', async () => {
    const bad = await matchkey(['reconcile', '--orders', `${F}/shopify-orders.csv`, '--from', '2025-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from/);
    const reversed = await matchkey(['reconcile', '--orders', `${F}/shopify-orders.csv`, '--from', '2025-02-01', '--to', '2025-01-01', '--as-of', '2025-03-01']);
    expect(reversed.code).toBe(2);
    const cell = await matchkey(['reconcile', '--orders', `${F}/shopify-orders.csv`, '--attributed', `${F}/meta-export.csv`, '--platform', 'tiktok', ...WINDOW]);
    expect(cell.code).toBe(2);
    expect(cell.stderr).toMatch(/meta-export\.csv: looks like a meta export/);
  });

  it('--orders internal reads the store of the configuration and adds the delivery side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-reconcile-cli-'));
    dirs.push(dir);
    const store = await openStore(`sqlite:${join(dir, 'm.db')}`);
    await seedMarch(store);
    await store.close();
    const { writeFileSync } = await import('node:fs');
    const config = join(dir, 'matchkey.config.json');
    writeFileSync(config, JSON.stringify({ storage: { url: `sqlite:${join(dir, 'm.db')}` } }));
    const r = await matchkey(['reconcile', '--orders', 'internal', '--config', config, '--from', '2025-03-01', '--to', '2025-03-31', '--as-of', '2025-04-15', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.orders_of_record).toMatchObject({ source: 'internal', count: 5, revenue: 310 });
    expect(report.delivery.meta).toMatchObject({ sent: 5, accepted: 3, rejected: 0, dead: 1, skipped: 2, accepted_share: 0.4 });
    expect(report.delivery.tiktok).toMatchObject({ sent: 3, accepted: 1, rejected: 1, accepted_share: 0.2 });

    const table = await matchkey(['reconcile', '--orders', 'internal', '--store', `sqlite:${join(dir, 'm.db')}`, '--from', '2025-03-01', '--to', '2025-03-31', '--as-of', '2025-04-15']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/meta\s+5\s+3\s+0\s+1\s+1\s+2 \(test 1, consent 1\)\s+1\s+40\.0%/);
    expect(table.stdout).toMatch(/#101\s+rejected\s+40002: Invalid value for field: event_time/);

    const none = await matchkey(['reconcile', '--orders', 'internal', '--store', `sqlite:${join(dir, 'absent.db')}`]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/absent\.db/);
  });
});
