import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnServe, tempDir, waitFor } from './harness.js';

// `npm start` (= `matchkey serve --demo`) on a fresh checkout: simulators in-process, SQLite under the data
// directory, generated keys printed once, and the README's curl answered with "accepted".

const cleanEnv = { MATCHKEY_INGEST_KEY: '', MATCHKEY_ADMIN_TOKEN: '', MATCHKEY_SECRET_KEY: '', MATCHKEY_CONFIG: '' };

describe('the demo', () => {
  it('runs with no configuration, prints its generated keys, accepts the README curl and delivers to the simulators', async () => {
    const dir = tempDir('mk-demo-run-');
    const dataDir = join(dir, 'data');
    const gw = await spawnServe(['--demo', '--port', '0', '--data-dir', dataDir], cleanEnv, dir);
    try {
      // The banner follows the "listening" line, possibly in a later chunk of the pipe.
      const key = await waitFor('the demo banner', () => /ingest api key \(generated[^)]*\): (\S+)/.exec(gw.stdout())?.[1], 10_000);
      const simUrl = /built-in simulators on (http:\/\/\S+)/.exec(gw.stdout())?.[1];
      expect(key).toBeDefined();
      expect(gw.stdout()).toMatch(/admin token \(generated[^)]*\): \S+/);
      expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'matchkey.db')).isFile()).toBe(true);

      // The README's command, verbatim apart from host and key.
      const readmeBody = `{"event_name":"purchase","event_time":${Math.floor(Date.now() / 1000)},"action_source":"website","event_source_url":"https://shop.example/checkouts/thank_you","user":{"email":"jane@example.com","client_ip_address":"203.0.113.7","client_user_agent":"Mozilla/5.0"},"commerce":{"order_id":"1001","value":59.9,"currency":"USD"}}`;
      const res = await fetch(`${gw.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: readmeBody });
      const text = await res.text();
      expect(res.status).toBe(202);
      expect(text).toContain('"accepted"');
      for (const platform of ['meta', 'tiktok', 'pinterest', 'klaviyo']) {
        await waitFor(`the demo event at ${platform}`, async () => {
          const seen = (await (await fetch(`${simUrl}/_sim/requests?platform=${platform}`)).json()) as { requests: { body: unknown; status: number }[] };
          return seen.requests.some((r) => r.status < 300 && JSON.stringify(r.body).includes('1001'));
        });
      }
    } finally {
      gw.child.kill('SIGTERM');
    }
    expect((await gw.exited).code).toBe(0);

    // A restart reuses the sealing key kept in the data directory.
    const again = await spawnServe(['--demo', '--port', '0', '--data-dir', dataDir], { ...cleanEnv, MATCHKEY_INGEST_KEY: 'chosen-ingest-key-0123456789' }, dir);
    try {
      expect(again.stdout()).not.toContain('ingest api key (generated');
      expect(again.stdout()).not.toContain('MATCHKEY_SECRET_KEY generated');
    } finally {
      again.child.kill('SIGTERM');
    }
    expect((await again.exited).code).toBe(0);
  });

  it('replays from the command line against the demo store', async () => {
    const dir = tempDir('mk-demo-replay-');
    const res = await runCli(['replay', '--status', 'dead', '--data-dir', join(dir, 'data'), '--json'], cleanEnv, dir);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ replayed: 0 });
    const bad = await runCli(['replay', '--status', 'lost', '--data-dir', join(dir, 'data')], cleanEnv, dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status');
  });
});
