import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHistoryStore } from '../../src/diagnostics/history/open.js';
import { runCli } from '../../src/cli/testing/cli-args.js';
import { startSimulators, type RunningSimulators } from '../../src/simulators/server.js';

// `matchkey quality pull` as a real process against the simulators, writing into --config's storage.url.

const dir = mkdtempSync(join(tmpdir(), 'mk-quality-cli-'));
const db = join(dir, 'matchkey.db');
const config = join(dir, 'matchkey.config.json');
let sim: RunningSimulators;

beforeAll(async () => {
  sim = await startSimulators();
  writeFileSync(
    config,
    JSON.stringify({
      storage: { url: `sqlite:${db}` },
      destinations: [
        { id: 'meta-main', platform: 'meta', base_url: sim.url, pixel_id: '1234567890', access_token: 'sim-token' },
        { id: 'pin-main', platform: 'pinterest', base_url: sim.url, ad_account_id: '549755885175', access_token: 'sim-token' },
        {
          id: 'google-ads', platform: 'google', api: 'google_ads', base_url: sim.url, customer_id: '123-456-7890', developer_token: 'dev-token',
          conversion_actions: { purchase: '987654321' }, oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' },
        },
      ],
    }),
  );
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const matchkey = (...args: string[]) => runCli(args);

describe('matchkey quality pull', () => {
  it("stores Meta's and Pinterest's scores and Google's upload success rate in the configured database and prints them", async () => {
    const text = await matchkey('quality', 'pull', '--config', config);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/meta meta-main: score 7\.4, 2 events/);
    expect(text.stdout).toMatch(/pinterest pin-main: score 66/);
    expect(text.stdout).toMatch(/Purchase: Send click ID \(fbc\)/);
    expect(text.stdout).toMatch(/google google-ads: upload success 92\.9% \(406 of 437; Google Ads upload summary\)/);
    expect(text.stdout).toMatch(/CLICK_NOT_FOUND: 5\.8% of uploads/);

    const json = await matchkey('quality', 'pull', '--config', config, '--json');
    expect(json.code).toBe(0);
    const pulled = (JSON.parse(json.stdout) as { pulled: { platform: string; score: number; uploads?: { source: string; errors: unknown[] } }[] }).pulled;
    expect(pulled.map((p) => p.platform)).toEqual(['meta', 'pinterest', 'google']);
    expect(pulled[2]).toMatchObject({ score: 92.9, uploads: { source: 'google_ads_upload_summary', errors: [{ code: 'CLICK_NOT_FOUND', share: 5.8 }, { code: 'EXPIRED_EVENT', share: 1.9 }] } });

    const history = await openHistoryStore(`sqlite:${db}`);
    const gauges = await history.listGauges();
    await history.close();
    expect(gauges.filter((g) => g.kind === 'event_match_quality' || g.kind === 'event_quality_score' || g.kind === 'upload_success_rate').map((g) => [g.platform, g.value])).toEqual([
      ['google', 92.9],
      ['meta', 7.4],
      ['pinterest', 66],
    ]);
  });

  it('exits 2 naming a configuration it cannot read', async () => {
    const missing = await matchkey('quality', 'pull', '--config', join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^matchkey quality pull: .*nope\.json/);
  });
});
