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
  it("stores Meta's and Pinterest's scores in the configured database and prints them", async () => {
    const text = await matchkey('quality', 'pull', '--config', config);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/meta meta-main: score 7\.4, 2 events/);
    expect(text.stdout).toMatch(/pinterest pin-main: score 66/);
    expect(text.stdout).toMatch(/Purchase: Send click ID \(fbc\)/);

    const json = await matchkey('quality', 'pull', '--config', config, '--json');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { pulled: { platform: string }[] }).pulled.map((p) => p.platform)).toEqual(['meta', 'pinterest']);

    const history = await openHistoryStore(`sqlite:${db}`);
    const gauges = await history.listGauges();
    await history.close();
    expect(gauges.filter((g) => g.kind === 'event_match_quality' || g.kind === 'event_quality_score').map((g) => [g.platform, g.value])).toEqual([
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
