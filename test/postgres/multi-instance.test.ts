import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/outbox/postgres/testing/database.js';
import { startSimulators } from '../../src/simulators/server.js';
import { INGEST_KEY, SECRET_KEY, destinationsFor, purchase, spawnServe, tempDir, waitFor, type ChildGateway } from '../gateway/harness.js';

// Three `matchkey serve` processes on one PostgreSQL database behind a round-robin "load balancer" (this test),
// 20,000 events, one process SIGKILLed mid-run. Every acknowledged event must reach each platform simulator; a
// (destination, event) may be sent twice only when a lease expired (the killed process had sent it but never
// recorded the outcome), and the number of such re-sends is reported.

const TOTAL = 20_000;
const PER_POST = 25;
const PLATFORMS = ['meta', 'tiktok'] as const;

type Sim = Awaited<ReturnType<typeof startSimulators>>;

/** How many times each event_id reached `platform` in an accepted (2xx) request. */
async function sendsAt(sim: Sim, platform: string): Promise<Map<string, number>> {
  const res = await fetch(`${sim.url}/_sim/requests?platform=${platform}`);
  const { requests, dropped } = (await res.json()) as { dropped: number; requests: { status: number; path: string; body?: { data?: { event_id?: string }[] }; body_dropped?: true }[] };
  expect(dropped, 'the simulator ring must hold every request').toBe(0);
  const sends = new Map<string, number>();
  for (const r of requests) {
    if (r.status >= 300) continue;
    expect(r.body_dropped, 'the simulator must keep every body').toBeUndefined();
    for (const e of r.body?.data ?? []) if (e.event_id) sends.set(e.event_id, (sends.get(e.event_id) ?? 0) + 1);
  }
  return sends;
}

describe('three gateway processes on one PostgreSQL', () => {
  let db: ScratchDatabase;
  let sim: Sim;
  const gateways: ChildGateway[] = [];
  beforeAll(async () => {
    db = await createScratchDatabase();
    sim = await startSimulators({ host: '127.0.0.1', port: 0, record: { mode: 'full', capacity: 200_000, bodyEventBudget: 1_000_000 } });
  });
  afterAll(async () => {
    for (const g of gateways) g.child.kill('SIGKILL');
    await Promise.all(gateways.map((g) => g.exited));
    await sim?.close();
    await db?.drop();
  });

  it('delivers every acknowledged event after one of them is SIGKILLed, re-sending only after a lease expiry', { timeout: 300_000 }, async () => {
    const dir = tempDir('mk-pg-multi-');
    const configPath = join(dir, 'matchkey.config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        server: { host: '127.0.0.1', port: 0 },
        storage: { url: `${db.url}?pool_size=6` },
        sources: { api_keys: [INGEST_KEY] },
        destinations: destinationsFor(sim.url, [...PLATFORMS]),
      }),
    );
    const env = { MATCHKEY_SECRET_KEY: SECRET_KEY, MATCHKEY_LOG_LEVEL: 'warn' };
    // Started together: their migrations race on the same empty database.
    gateways.push(...(await Promise.all([0, 1, 2].map(() => spawnServe(['--config', configPath], env)))));
    const live = new Set([0, 1, 2]);
    const victim = 1;

    const acknowledged = new Set<string>();
    let next = 0;
    let turn = 0;
    let killedAt = -1;
    const post = async (batch: Record<string, unknown>[]): Promise<void> => {
      // A load balancer retries a failed request on another instance; the events are idempotent on event_id.
      for (;;) {
        const live_ = [...live];
        const target = live_[turn++ % live_.length]!;
        try {
          const res = await fetch(`${gateways[target]!.url}/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ events: batch }),
          });
          if (res.status === 202) {
            for (const id of ((await res.json()) as { event_ids: string[] }).event_ids) acknowledged.add(id);
            return;
          }
          throw new Error(`status ${res.status}: ${await res.text()}`);
        } catch (err) {
          if (live.has(target)) throw err;
        }
      }
    };
    const sender = async (): Promise<void> => {
      while (next < TOTAL) {
        const from = next;
        next += PER_POST;
        const batch = Array.from({ length: Math.min(PER_POST, TOTAL - from) }, (_, i) => {
          const n = from + i;
          return purchase(`mi_${n}`, { extra: { commerce: { order_id: `o${n}`, value: 10 + (n % 90), currency: 'USD' } } });
        });
        await post(batch);
      }
    };
    const killer = (async () => {
      await waitFor('a third of the events acknowledged', () => acknowledged.size >= TOTAL / 3, 120_000);
      // Slow answers keep sends in flight, so the victim surely dies holding claims (some already sent): those rows
      // must come back through lease expiry, and the ones it had sent are re-sent. The slowness lasts until the kill,
      // and the probe waits for a claim taken after it began (lease_until ≥ then + the 60 s lease of the default
      // request timeout): a claim from before could still get a fast answer and be completed before the kill (that
      // flaked under full-suite load), one from after is still waiting on its slow answer when the victim dies.
      for (const platform of PLATFORMS) {
        await fetch(`${sim.url}/_sim/behaviour`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ platform, mode: 'slow', delay_ms: 5000, for_ms: 120_000 }),
        });
      }
      const slowSince = Date.now();
      const probe = new pg.Client({ connectionString: db.url });
      await probe.connect();
      try {
        await waitFor('the victim holding claims', async () => {
          const { rows } = await probe.query(
            "SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending' AND lease_token IS NOT NULL AND lease_owner LIKE $1 AND lease_until >= $2",
            [`%:${gateways[victim]!.child.pid}`, slowSince + 60_000],
          );
          return rows[0].n > 0;
        });
      } finally {
        await probe.end();
      }
      live.delete(victim);
      gateways[victim]!.child.kill('SIGKILL');
      killedAt = acknowledged.size;
      await fetch(`${sim.url}/_sim/behaviour`, { method: 'DELETE' });
    })();
    await Promise.all([...Array.from({ length: 6 }, sender), killer]);
    expect((await gateways[victim]!.exited).signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(0);
    expect(acknowledged.size).toBe(TOTAL);

    // The killed process's claims return after its lease (the worker's, at least 60 s).
    const sends: Record<string, Map<string, number>> = {};
    for (const platform of PLATFORMS) {
      sends[platform] = await waitFor(
        `every acknowledged event at ${platform}`,
        async () => {
          const got = await sendsAt(sim, platform);
          const missing = [...acknowledged].filter((id) => !got.has(id));
          if (missing.length > 0) throw new Error(`${missing.length} of ${acknowledged.size} missing, e.g. ${missing.slice(0, 3).join(', ')}`);
          return got;
        },
        200_000,
      );
    }

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // Rows the victim sent but never completed are still leased to it: they end only once the lease expires and
      // a live instance re-claims (and re-sends) them.
      await waitFor(
        'every delivery row final',
        async () => {
          const { rows } = await client.query("SELECT count(*)::int AS n FROM deliveries WHERE status <> 'delivered'");
          if (rows[0].n > 0) throw new Error(`${rows[0].n} rows not delivered yet`);
          return true;
        },
        200_000,
      );
      for (const platform of PLATFORMS) sends[platform] = await sendsAt(sim, platform);
      const rows = (
        await client.query<{ event_id: string; destination_id: string; status: string; lease_expiries: number; late_completions: number }>(
          'SELECT event_id, destination_id, status, lease_expiries, late_completions FROM deliveries',
        )
      ).rows;
      expect(rows).toHaveLength(TOTAL * PLATFORMS.length);
      expect(rows.filter((r) => r.status !== 'delivered')).toEqual([]);
      // No outcome of a live holder was ever refused: no row was held by two live leases.
      expect(rows.filter((r) => r.late_completions > 0)).toEqual([]);
      const expiries = new Map(rows.map((r) => [`${r.destination_id}:${r.event_id}`, r.lease_expiries]));
      let resends = 0;
      for (const platform of PLATFORMS) {
        for (const [id, n] of sends[platform]!) {
          if (n === 1) continue;
          resends += n - 1;
          // A second send only where a claim took the row over from an expired lease.
          expect(expiries.get(`${platform}:${id}`), `${platform}:${id} sent ${n} times`).toBeGreaterThanOrEqual(n - 1);
        }
      }
      const takeovers = rows.filter((r) => r.lease_expiries > 0).length;
      console.log(
        `multi-instance: ${TOTAL} events × ${PLATFORMS.length} destinations, victim killed after ${killedAt} acknowledged; ` +
          `${takeovers} rows taken over after a lease expiry, ${resends} duplicate sends (all after a lease expiry)`,
      );
      expect(takeovers).toBeGreaterThan(0);
      expect(resends).toBeLessThanOrEqual(takeovers);
    } finally {
      await client.end();
    }
  });
});
