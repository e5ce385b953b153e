// The SQLite store's own cost per event, without HTTP: `npx tsx bench/micro/store-footprint.ts [events] [perCall]`.
// Realistic purchases (bench/fixtures.ts) planned for the five destinations of the ingest benchmark (Klaviyo's row
// sealed), written by the store's writer (writer.ts) through its group commit on this thread with
// synchronous=FULL, one ingest operation of `perCall` events per commit; then every row is claimed and completed
// as delivered. Prints the writer's CPU µs per event (ingest) and per delivery (claim + complete), and the bytes
// on disk per event by table and index (SQLite's dbstat) while pending and at rest after delivery.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnection } from '../../src/outbox/sqlite/connection.js';
import { runMigrations } from '../../src/outbox/sqlite/migrate.js';
import { WriteQueue } from '../../src/outbox/sqlite/write-queue.js';
import { plannedWireItems } from '../lib/wire-items.js';
import { SqliteWriter, type WriteOp } from '../../src/outbox/sqlite/writer.js';

const total = Number(process.argv[2] ?? 100_000);
const perCall = Number(process.argv[3] ?? 100);
const wire = plannedWireItems(total, { seed: 3, orderPrefix: 'm' });

const dir = mkdtempSync(join(tmpdir(), 'mk-micro-footprint-'));
const path = join(dir, 'bench.db');
const db = openConnection(path, 'full');
runMigrations(db);
const writer = new SqliteWriter(db);
const queue = new WriteQueue(db, writer);
const run = <T>(op: WriteOp): Promise<T> => queue.run(() => writer.execute(op)) as Promise<T>;

const cpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

let c0 = cpu();
for (let i = 0; i < total; i += perCall) await run({ kind: 'ingest', now: Date.now(), items: wire.slice(i, i + perCall) });
const ingestUs = (cpu() - c0) / total;
db.pragma('wal_checkpoint(TRUNCATE)');

function bytes(label: string): void {
  const rows = db.prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC`).all() as { name: string; bytes: number }[];
  const sum = rows.reduce((s, r) => s + r.bytes, 0);
  console.log(`${label}: ${(sum / total).toFixed(0)} B/event (file ${(statSync(path).size / total).toFixed(0)} B/event)`);
  for (const r of rows) if (r.bytes / total >= 1) console.log(`  ${r.name.padEnd(36)} ${(r.bytes / total).toFixed(0).padStart(6)}`);
}
bytes('pending');

const dests = [...new Set(wire[0]!.deliveries.filter((d) => d.status === 'pending').map((d) => d.destination_id))];
let rows = 0;
let claimUs = 0;
let completeUs = 0;
c0 = cpu();
for (const destination of dests) {
  for (;;) {
    const now = Date.now();
    let t = cpu();
    const claimed = await run<{ id: number }[]>({ kind: 'claim', destination_id: destination, now, limit: 1000, lease_until: now + 60_000 });
    claimUs += cpu() - t;
    if (claimed.length === 0) break;
    rows += claimed.length;
    t = cpu();
    await run({ kind: 'complete', now, updates: claimed.map((c) => ({ delivery_id: c.id, status: 'delivered' as const, attempt: { at: now, latency_ms: 5, http_status: 200, outcome: 'delivered' } })) });
    completeUs += cpu() - t;
  }
}
const drainUs = (cpu() - c0) / rows;
db.pragma('wal_checkpoint(TRUNCATE)');
db.exec('VACUUM');
bytes('at rest, delivered (after VACUUM)');
console.log(`writer CPU: ingest ${ingestUs.toFixed(1)} µs/event (${perCall}/commit), claim+complete ${drainUs.toFixed(1)} µs/delivery (claim ${(claimUs / rows).toFixed(1)}, complete ${(completeUs / rows).toFixed(1)}; ${rows} rows); load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
db.close();
rmSync(dir, { recursive: true, force: true });
