import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgs } from '../../src/cli/testing/cli-args.js';
import { openStore } from '../../src/outbox/open.js';
import { startSimulators, type RunningSimulators } from '../../src/simulators/server.js';
import { seedMarch } from './store-helpers.js';

// `matchkey reconcile --attributed platforms --json` as a real process, reading the simulated reporting APIs over
// loopback (src/simulators/attributed.ts) and the order log of a real SQLite store (store-helpers.ts, seedMarch).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function matchkey(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(args), { cwd: ROOT, env: { ...process.env, MATCHKEY_CONFIG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const MARCH = ['--from', '2025-03-01', '--to', '2025-03-31', '--as-of', '2025-04-15'];
let sim: RunningSimulators;
let dir: string;

function writeConfig(name: string, destinations: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ storage: { url: `sqlite:${join(dir, 'm.db')}` }, destinations }));
  return path;
}

beforeAll(async () => {
  sim = await startSimulators();
  dir = mkdtempSync(join(tmpdir(), 'mk-attributed-cli-'));
  const store = await openStore(`sqlite:${join(dir, 'm.db')}`);
  await seedMarch(store);
  await store.close();
  const post = (body: unknown) => fetch(`${sim.url}/_sim/attributed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await post({
    meta: { days: [{ date: '2025-03-03', conversions: 3, value: 180 }, { date: '2025-03-20', conversions: 2, value: 90 }], page_size: 1 },
    pinterest: { days: [{ date: '2025-03-03', conversions: 1, value: 60 }] },
    tiktok: { days: [{ date: '2025-03-04', conversions: 2, value: 110 }] },
    google: { days: [{ date: '2025-03-05', conversions: 1.5, value: 75 }] },
  });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('matchkey reconcile --attributed platforms (a real process against the simulators)', () => {
  it('--json reports each platform apart, with the window it was read with named, and the order log beside it', async () => {
    const config = writeConfig('matchkey.config.json', [
      { id: 'meta', platform: 'meta', pixel_id: '1234567890', access_token: 'capi', base_url: sim.url, reporting: { ad_account_id: 'act_4455', access_token: 'ads-read' } },
      { id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'conv', base_url: sim.url },
      { id: 'tiktok', platform: 'tiktok', pixel_code: 'C4ABCDEF12345', access_token: 'events', base_url: sim.url, reporting: { advertiser_id: '7001234567890', access_token: 'marketing' } },
      { id: 'google', platform: 'google', customer_id: '123-456-7890', conversion_actions: { purchase: '555' }, access_token: 'static', base_url: sim.url, reporting: { developer_token: 'dev' } },
      { id: 'klaviyo', platform: 'klaviyo', api_key: 'pk_test_0000000000000000', base_url: sim.url },
    ]);
    const r = await matchkey(['reconcile', '--attributed', 'platforms', '--config', config, ...MARCH, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.orders_of_record).toMatchObject({ source: 'internal', count: 5 });
    expect(report.platforms.meta).toMatchObject({
      attributed_conversions: 5,
      attributed_value: 270,
      currency: 'USD',
      attribution_window: '7d_click,1d_view',
      attribution_window_source: 'platform',
      pulled: [{ destination_id: 'meta', endpoint: 'GET /v26.0/act_4455/insights', attribution_window: '7d_click,1d_view', window_source: 'requested', window_detail: 'action_attribution_windows=7d_click,1d_view' }],
    });
    expect(report.platforms.meta.by_day).toHaveLength(31);
    expect(report.platforms.meta.by_day[2]).toMatchObject({ date: '2025-03-03', attributed_conversions: 3, attributed_value: 180 });
    expect(report.platforms.pinterest).toMatchObject({
      attributed_conversions: 1,
      attribution_window: '30d_click,30d_engagement,1d_view',
      attribution_window_source: 'platform',
      pulled: [{ destination_id: 'pinterest', endpoint: 'GET /v5/ad_accounts/549755885175/analytics', window_source: 'requested' }],
    });
    // Never summed: each platform is its own share of the orders of record.
    expect(report.note).toMatch(/No total across platforms/);
    expect(report.platforms.tiktok).toMatchObject({
      attributed_conversions: 2,
      attribution_window: '7d_click,1d_view',
      pulled: [{ destination_id: 'tiktok', window_source: 'account_setting', window_detail: expect.stringMatching(/attribution setting/) }],
    });
    expect(report.platforms.google).toMatchObject({
      attributed_conversions: 1.5,
      attributed_value: 75,
      attribution_window: '30d_click,1d_view',
      pulled: [{ destination_id: 'google', endpoint: 'POST /v26/customers/1234567890/googleAds:searchStream', window_detail: expect.stringMatching(/click_through_lookback_window_days=30/) }],
    });
    expect(Object.keys(report.platforms).sort()).toEqual(['google', 'meta', 'pinterest', 'tiktok']);
    expect(report.attributed_pull).toEqual({
      failed: [],
      skipped: [{ platform: 'klaviyo', destination_id: 'klaviyo', kind: 'no_read_api', reason: 'Matchkey reads no attributed conversions from this platform' }],
    });
  });

  it('a platform that cannot be read is reported apart (exit 1), the others still are; --window is requested', async () => {
    const config = writeConfig('revoked.config.json', [
      { id: 'meta', platform: 'meta', pixel_id: '1234567890', access_token: 'capi', base_url: sim.url, reporting: { ad_account_id: '4455', access_token: 'invalid-token' } },
      { id: 'meta-no-account', platform: 'meta', pixel_id: '1234567891', access_token: 'capi', base_url: sim.url },
      { id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'conv', base_url: sim.url },
    ]);
    const r = await matchkey(['reconcile', '--attributed', 'platforms', '--config', config, '--window', 'pinterest=7d_click', ...MARCH, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.platforms.meta).toBeUndefined();
    expect(report.platforms.pinterest).toMatchObject({ attribution_window: '7d_click,30d_engagement,1d_view', attribution_window_source: 'platform' });
    expect(report.attributed_pull.failed).toEqual([{ platform: 'meta', destination_id: 'meta', error: expect.objectContaining({ kind: 'auth', code: 'meta_190' }) }]);
    expect(report.attributed_pull.skipped).toEqual([{ platform: 'meta', destination_id: 'meta-no-account', kind: 'not_configured', reason: expect.stringMatching(/reporting\.ad_account_id/) }]);

    const table = await matchkey(['reconcile', '--attributed', 'platforms', '--config', config, ...MARCH]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/meta \(meta\): NOT READ — auth meta_190: Meta error 190: Error validating access token/);
    expect(table.stdout).toMatch(/meta \(meta-no-account\): not read — set reporting\.ad_account_id/);
  });

  it('prints each window in the table, a per-day comparison, and refuses without a configuration', async () => {
    const config = writeConfig('table.config.json', [
      { id: 'meta', platform: 'meta', pixel_id: '1234567890', access_token: 'capi', base_url: sim.url, reporting: { ad_account_id: '4455' } },
      { id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'conv', base_url: sim.url },
    ]);
    const r = await matchkey(['reconcile', '--attributed', 'platforms', '--config', config, ...MARCH]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/meta\s+7d_click,1d_view \(platform\)\s+5\s+270\.00 USD/);
    expect(r.stdout).toMatch(/meta: read GET \/v26\.0\/act_4455\/insights \(meta\), window 7d_click,1d_view — requested: action_attribution_windows=7d_click,1d_view/);
    expect(r.stdout).toMatch(/Per day: orders of record and what each platform attributed/);
    expect(r.stdout).toMatch(/2025-03-03\s+\d+\s+3 \(180\.00 USD\)\s+1 \(60\.00 USD\)/);

    const none = await matchkey(['reconcile', '--attributed', 'platforms', ...MARCH]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--config/);

    const noOrders = await matchkey(['reconcile', ...MARCH]);
    expect(noOrders.code).toBe(2);
    expect(noOrders.stderr).toMatch(/--orders: required/);
  });
});
