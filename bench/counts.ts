// `npx tsx bench/counts.ts [events]`: the cost of one delivery-count reading (counts(): /metrics, the dashboard)
// with a backlog of N events pending on three destinations (default 1,000,000 events = 3,000,000 pending rows), on
// SQLite and on PostgreSQL. The rows are written in bulk by SQL, with the counts the store keeps on ingest; the
// reading goes through the store. Beside it, the same reading the way it was made before the incremental counts (a
// walk of every pending row), on the same data: what the counters save.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../src/outbox/open.js';
import { createScratchDatabase } from '../src/outbox/postgres/testing/database.js';
import type { OutboxStore } from '../src/outbox/types.js';
import { percentile } from './lib/stats.js';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const DESTINATIONS = ['meta', 'tiktok', 'pinterest'];
const READINGS = 7;

/** The pending half of counts() before migration 003: every pending row, grouped. */
const WALK_SQLITE = `SELECT destination_id, platform, attempts > 0 AS retrying, count(*) AS n, min(created_at) AS oldest
FROM deliveries INDEXED BY deliveries_due WHERE status = 'pending' GROUP BY destination_id, platform, attempts > 0`;
const WALK_POSTGRES = `SELECT destination_id, platform, attempts > 0 AS retrying, count(*)::bigint AS n, min(created_at) AS oldest
FROM deliveries WHERE status = 'pending' GROUP BY destination_id, platform, attempts > 0`;

/** Median wall time and process CPU (all threads: SQLite reads on the checkpoint thread) of `read`, in ms. */
async function time(read: () => Promise<unknown>): Promise<{ wallMs: number; cpuMs: number }> {
  await read(); // warm: statements prepared, pages cached
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < READINGS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await read();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wallMs: percentile(wall.sort((a, b) => a - b), 50), cpuMs: percentile(cpu.sort((a, b) => a - b), 50) };
}

function line(store: string, what: string, t: { wallMs: number; cpuMs: number }): void {
  console.log(`${store.padEnd(10)} ${what.padEnd(44)} ${t.wallMs.toFixed(2).padStart(9)} ms wall ${t.cpuMs.toFixed(2).padStart(9)} ms CPU (this process)`);
}

async function checkCounts(store: OutboxStore): Promise<void> {
  const counts = await store.counts(Date.now());
  const pending = counts.reduce((n, c) => n + c.pending + c.retrying, 0);
  if (pending !== EVENTS * DESTINATIONS.length) throw new Error(`counts() says ${pending} pending, expected ${EVENTS * DESTINATIONS.length}`);
}

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mk-bench-counts-'));
  try {
    const file = join(dir, 'matchkey.db');
    const store = await openStore(`sqlite:${file}`);
    await store.migrate();
    await store.close();
    const db = new Database(file);
    db.pragma('foreign_keys = OFF'); // as the store opens it: the rows point at no stored event
    const t0 = performance.now();
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${EVENTS - 1})
      INSERT INTO deliveries (event_ref, destination_id, platform, status, attempts, created_at, next_attempt_at)
      SELECT i, d.value, d.value, 'pending', i % 10 = 0, 1700000000000 + i, 1700000000000 + i
      FROM n, json_each('${JSON.stringify(DESTINATIONS)}') d`);
    // The counts the store's writer keeps on ingest (one upsert per destination and bucket), for the rows written here.
    db.exec(`INSERT INTO delivery_backlog (destination_id, retrying, platform, n)
      SELECT destination_id, attempts > 0, platform, count(*) FROM deliveries WHERE status = 'pending' GROUP BY destination_id, attempts > 0`);
    console.log(`SQLite     ${EVENTS * DESTINATIONS.length} pending rows written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const walk = db.prepare(WALK_SQLITE);
    line('SQLite', 'before: walk of every pending row', await time(async () => walk.all()));
    db.close();
    const opened = await openStore(`sqlite:${file}`);
    await checkCounts(opened);
    line('SQLite', `counts() with ${EVENTS} events pending`, await time(() => opened.counts(Date.now())));
    await opened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  const scratch = await createScratchDatabase('matchkey_bench');
  const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
  let store: OutboxStore | undefined;
  try {
    store = await openStore(scratch.url);
    await store.migrate();
    const t0 = performance.now();
    await pool.query(
      `INSERT INTO deliveries (event_id, event_source, destination_id, platform, status, attempts, created_at, next_attempt_at)
       SELECT 'e' || i, 'api', d, d, 'pending', (i % 10 = 0)::int, 1700000000000 + i, 1700000000000 + i
       FROM generate_series(0, $1::int - 1) i, unnest($2::text[]) d`,
      [EVENTS, DESTINATIONS],
    );
    // The counts the store's statements keep on ingest, for the rows written here.
    await pool.query(`INSERT INTO delivery_backlog (destination_id, retrying, shard, platform, n)
      SELECT destination_id, attempts > 0, 0, platform, count(*) FROM deliveries WHERE status = 'pending' GROUP BY destination_id, platform, attempts > 0`);
    await pool.query('VACUUM ANALYZE deliveries');
    console.log(`PostgreSQL ${EVENTS * DESTINATIONS.length} pending rows written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    line('PostgreSQL', 'before: walk of every pending row (server time)', await time(() => pool.query(WALK_POSTGRES)));
    await checkCounts(store);
    const opened = store;
    line('PostgreSQL', `counts() with ${EVENTS} events pending`, await time(() => opened.counts(Date.now())));
  } finally {
    await store?.close();
    await pool.end();
    await scratch.drop();
  }
}

const only = process.env.BENCH_COUNTS_ONLY;
if (only !== 'postgres') await sqlite();
if (only !== 'sqlite') await postgres();
