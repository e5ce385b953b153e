import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INGEST_KEY,
  SECRET_KEY,
  configObject,
  destinationsFor,
  freshOrder,
  postShopify,
  purchase,
  simUploads,
  spawnServe,
  startSim,
  tempDir,
  waitFor,
  writeConfig,
  type Sim,
} from './harness.js';

// `matchkey serve` as a real child process: SIGKILL while events stream in, then a restart, must lose no
// acknowledged event; SIGTERM drains and exits 0; raw PII never reaches the database files or the logs.

const PLATFORMS = ['meta', 'tiktok', 'pinterest', 'google', 'klaviyo'] as const;
const ID = /crash_\d{6}x/g;

// Unique strings planted in the events' identity: none may appear in any file the gateway writes.
const CANARY = {
  email: 'Canary.Wexhollow7Q@Example.org',
  phone: '(650) 253-0042',
  first: 'Ysoldenbrae',
  last: 'Quarnthistle',
  street: '731 Veldgrimmer Causeway',
};
const CANARY_STRINGS = [
  CANARY.email,
  CANARY.email.toLowerCase(),
  'wexhollow7q',
  CANARY.phone,
  '6502530042',
  CANARY.first,
  CANARY.first.toLowerCase(),
  CANARY.last,
  CANARY.last.toLowerCase(),
  'Veldgrimmer',
  'veldgrimmer',
  // From the Shopify fixture.
  'Zelphine',
  'zelphine',
  'Quorvath',
  'quorvath',
  'Brindlewick',
  '459-2181',
];

function canaryEvent(id: string): Record<string, unknown> {
  const base = purchase(id);
  return {
    ...base,
    user: {
      ...(base.user as object),
      email: CANARY.email,
      phone: CANARY.phone,
      first_name: CANARY.first,
      last_name: CANARY.last,
      street: CANARY.street,
      country: 'US',
    },
  };
}

function leaks(dir: string, extraText: string[]): string[] {
  const found: string[] = [];
  const blobs: [string, Buffer][] = readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => [f, readFileSync(join(dir, f))]);
  extraText.forEach((t, i) => blobs.push([`output#${i}`, Buffer.from(t)]));
  for (const [name, bytes] of blobs) {
    for (const canary of CANARY_STRINGS) {
      if (bytes.includes(Buffer.from(canary, 'utf8')) || bytes.includes(Buffer.from(canary, 'utf16le'))) found.push(`${canary} in ${name}`);
    }
  }
  return found;
}

async function deliveredIds(sim: Sim, platform: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const r of await simUploads(sim, platform)) {
    if (r.status >= 300) continue;
    for (const m of JSON.stringify(r.body).matchAll(ID)) ids.add(m[0]);
  }
  return ids;
}

describe('the serve process', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('delivers every acknowledged event after a SIGKILL mid-stream and a restart, and writes no raw PII', { timeout: 150_000 }, async () => {
    const dir = tempDir('mk-crash-');
    const dataDir = join(dir, 'data');
    const configPath = writeConfig(dir, configObject(dataDir, destinationsFor(sim.url)));
    const env = { MATCHKEY_SECRET_KEY: SECRET_KEY, MATCHKEY_LOG_LEVEL: 'debug' };
    const outputs: string[] = [];

    const first = await spawnServe(['--config', configPath], env);
    const shop = await postShopify(first.url, freshOrder('orders-paid.json').raw, { topic: 'orders/paid', webhookId: 'wh-crash-1' });
    expect(shop.status).toBe(200);

    // Stream events from several concurrent senders; kill the process while they are in flight.
    const acknowledged: string[] = [];
    let n = 0;
    let killed = false;
    const sender = async (): Promise<void> => {
      while (!killed) {
        const batch = Array.from({ length: 1 + (n % 5) }, () => {
          const id = `crash_${String(n++).padStart(6, '0')}x`;
          return n % 7 === 0 ? canaryEvent(id) : purchase(id);
        });
        try {
          const res = await fetch(`${first.url}/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify(batch.length === 1 ? batch[0] : { events: batch }),
          });
          if (res.status === 202) acknowledged.push(...((await res.json()) as { event_ids: string[] }).event_ids);
        } catch {
          // The connection died with the process: those events were never acknowledged.
        }
      }
    };
    const senders = Array.from({ length: 4 }, sender);
    await waitFor('a few hundred acknowledged events', () => acknowledged.length >= 300, 30_000);
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(senders);
    expect((await first.exited).signal).toBe('SIGKILL');
    outputs.push(first.stdout(), first.stderr());
    // The write-ahead log as a crash left it holds no raw identity either.
    expect(leaks(dataDir, outputs)).toEqual([]);

    const second = await spawnServe(['--config', configPath], env);
    try {
      for (const platform of PLATFORMS) {
        await waitFor(
          `every acknowledged event at ${platform}`,
          async () => {
            const got = await deliveredIds(sim, platform);
            const missing = acknowledged.filter((id) => !got.has(id));
            if (missing.length > 0) throw new Error(`${missing.length} of ${acknowledged.length} missing, e.g. ${missing.slice(0, 3).join(', ')}`);
            return true;
          },
          // Rows the killed process had claimed come back when their lease (the worker's, ≥ 60 s) runs out.
          120_000,
        );
      }
    } finally {
      second.child.kill('SIGTERM');
    }
    expect((await second.exited).code).toBe(0);
    outputs.push(second.stdout(), second.stderr());
    // Control: the canaries really went through (Klaviyo takes the raw email), so their absence below means something.
    const klaviyoBodies = JSON.stringify((await simUploads(sim, 'klaviyo')).map((r) => r.body));
    expect(klaviyoBodies).toContain(CANARY.email.toLowerCase());
    expect(klaviyoBodies).toContain('zelphine.quorvath@example.com');
    expect(leaks(dataDir, outputs)).toEqual([]);
  });

  it('prints the Shopify webhook address from server.public_url, drains on SIGTERM and exits 0', async () => {
    const dir = tempDir('mk-term-');
    const server = { host: '127.0.0.1', port: 0, public_url: 'https://matchkey.shop.example' };
    const configPath = writeConfig(dir, configObject(join(dir, 'data'), destinationsFor(sim.url, ['meta']), { server }));
    const gw = await spawnServe(['--config', configPath], { MATCHKEY_SECRET_KEY: SECRET_KEY });
    const res = await fetch(`${gw.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(purchase('term_1')),
    });
    expect(res.status).toBe(202);
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toEqual({ code: 0, signal: null });
    expect(gw.stdout()).toContain('stopped');
    expect(gw.stdout()).toContain('URL https://matchkey.shop.example/webhooks/shopify for Order payment (orders/paid)');
  });

  it('exits 2 naming the key path when the configuration is invalid', async () => {
    const dir = tempDir('mk-badcfg-');
    const raw = configObject(dir, destinationsFor(sim.url, ['meta']));
    delete (raw.destinations as Record<string, unknown>[])[0]!.pixel_id;
    const configPath = writeConfig(dir, raw);
    const { runCli } = await import('./harness.js');
    const bad = await runCli(['serve', '--config', configPath]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('destinations.0.pixel_id');
  });

  it('exits 2 with no configuration at all, saying how to run the demo (the demo never starts by accident)', async () => {
    const { runCli } = await import('./harness.js');
    const res = await runCli(['serve'], { MATCHKEY_CONFIG: '' }, tempDir('mk-nocfg-'));
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no configuration');
    expect(res.stderr).toContain('matchkey serve --demo');
    expect(res.stdout).not.toContain('listening');
  });

  it('refuses to start a Klaviyo destination without MATCHKEY_SECRET_KEY (exit 2)', async () => {
    const dir = tempDir('mk-nokey-');
    const configPath = writeConfig(dir, configObject(dir, destinationsFor(sim.url, ['klaviyo'])));
    const { runCli } = await import('./harness.js');
    const res = await runCli(['serve', '--config', configPath], { MATCHKEY_SECRET_KEY: '' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('MATCHKEY_SECRET_KEY');
  });
});
