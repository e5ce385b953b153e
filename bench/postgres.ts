// Outbox throughput on PostgreSQL with 1 and 3 store instances (each its own pool, as N gateway processes would
// have) in one process, on a scratch database of the local server. `npx tsx bench/postgres.ts`.
// Store-only: no HTTP. Figures go to docs/DEPLOYMENT.md and docs/BENCHMARKS.md.
import { randomBytes } from 'node:crypto';
import { PostgresOutboxStore } from '../src/outbox/postgres/store.js';
import { createScratchDatabase } from '../src/outbox/postgres/testing/database.js';
import type { IngestItem } from '../src/outbox/types.js';
import { percentile } from './lib/stats.js';
import { storeBenchItem } from './lib/store-item.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const key = randomBytes(32);
const db = await createScratchDatabase('matchkey_bench');

let seq = 0;
const item = (): IngestItem => storeBenchItem(seq++);

async function stores(n: number): Promise<PostgresOutboxStore[]> {
  const out = Array.from({ length: n }, () => new PostgresOutboxStore(db.url, { secretKey: key, poolSize: 10 }));
  await Promise.all(out.map((s) => s.migrate()));
  return out;
}

async function ingest(label: string, instances: PostgresOutboxStore[], lanesPerStore: number, perCall: number, totalEvents: number): Promise<void> {
  const latencies: number[] = [];
  let sent = 0;
  const t0 = performance.now();
  await Promise.all(
    instances.flatMap((s) =>
      Array.from({ length: lanesPerStore }, async () => {
        while (sent < totalEvents) {
          sent += perCall;
          const items = Array.from({ length: perCall }, item);
          const start = performance.now();
          await s.ingest(items);
          latencies.push(performance.now() - start);
        }
      }),
    ),
  );
  const secs = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const st = instances.reduce((a, s) => ({ statements: a.statements + s.ingestStats.statements, calls: a.calls + s.ingestStats.calls }), { statements: 0, calls: 0 });
  console.log(`ingest ${label}: ${Math.round(sent / secs)} events/s, ${(st.calls / Math.max(1, st.statements)).toFixed(1)} calls/statement, p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`);
}

async function drain(label: string, instances: PostgresOutboxStore[], batch: number): Promise<void> {
  const t0 = performance.now();
  let n = 0;
  // Every instance runs one worker per destination, all at once, as N gateways would.
  await Promise.all(
    instances.flatMap((s) =>
      ['meta', 'tiktok', 'klaviyo'].map(async (destination) => {
        for (;;) {
          const now = Date.now();
          const claimed = await s.claim(destination, batch, now, 60_000);
          if (claimed.length === 0) return;
          n += claimed.length;
          await s.complete(claimed.map((c) => ({ delivery_id: c.delivery_id, status: 'delivered' as const, attempt: { at: now, latency_ms: 5, http_status: 200, outcome: 'delivered' } })));
        }
      }),
    ),
  );
  const secs = (performance.now() - t0) / 1000;
  const late = instances.reduce((sum, s) => sum + s.leaseStats.lateCompletions, 0);
  console.log(`drain ${label}: ${Math.round(n / secs)} deliveries/s (${n} rows, batches of ${batch}, late completions ${late})`);
}

const pgVersion = (await (await stores(1))[0]!.pool.query('SHOW server_version')).rows[0].server_version as string;
console.log(`PostgreSQL ${pgVersion}, synchronous_commit on, 3 delivery rows per event (one sealed), pool 10 per instance`);
try {
  for (const n of [1, 3]) {
    const instances = await stores(n);
    await ingest(`${n} instance(s), single-event calls, ${Math.round(64 / n)} concurrent each`, instances, Math.round(64 / n), 1, 20_000 * SCALE);
    await ingest(`${n} instance(s), batches of 100, ${Math.round(12 / n)} concurrent each`, instances, Math.round(12 / n), 100, 100_000 * SCALE);
    await drain(`${n} instance(s)`, instances, 500);
    const t = performance.now();
    await instances[0]!.counts(Date.now());
    console.log(`counts(): ${(performance.now() - t).toFixed(1)} ms`);
    await Promise.all(instances.map((s) => s.close()));
  }
  // Claim speed with a large finished history: the partial index keeps a claim a short range scan.
  const [s] = await stores(1);
  const rows = (await s!.pool.query('SELECT count(*)::int AS n FROM deliveries')).rows[0].n as number;
  await ingest('1 instance, 1,000 more events', [s!], 4, 100, seq + 1000);
  const t = performance.now();
  const claimed = await s!.claim('meta', 500, Date.now(), 60_000);
  console.log(`claim of ${claimed.length} pending rows among ${rows} delivered rows: ${(performance.now() - t).toFixed(1)} ms`);
  const sizes = await s!.pool.query(
    "SELECT relname, pg_total_relation_size(oid) AS bytes FROM pg_class WHERE relname IN ('events', 'deliveries', 'attempts') ORDER BY relname",
  );
  console.log(`on disk for ${seq} events: ${sizes.rows.map((r) => `${r.relname} ${(r.bytes / seq).toFixed(0)} B/event`).join(', ')} (tables + indexes)`);
  const p = performance.now();
  const pruned = await s!.pruneDelivered(0);
  console.log(`pruneDelivered: ${pruned} rows in ${((performance.now() - p) / 1000).toFixed(1)} s`);
  await s!.close();
} finally {
  await db.drop();
}
