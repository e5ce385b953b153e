// What one row per event would cost the SQLite writer, against the store's layout today, on the same purchases:
//   npx tsx bench/micro/layout-prototype.ts [events]
// A prototype of a layout, not of the store: it measures the writes and the bytes, nothing else (no take-over, no
// replay, no inspector). Both sides write realistic purchases planned for five destinations (bench/lib/wire-items.ts,
// Klaviyo's contact sealed), 100 events per transaction, synchronous=FULL, on the calling thread, then deliver
// every event to every destination in batches of 1,000.
// - today: the store's own writer (writer.ts): an event row, then a delivery row per destination (each with the
//   deliveries_due, deliveries_pending_age and unique-key index entries); a claim leases rows, a completion folds
//   the attempt onto each row.
// - one row per event: the event row carries its planned destinations (a bitmask) and Klaviyo's sealed contact; a
//   destination's queue is a cursor over event ids; a delivered batch is one row (its range of event ids, time,
//   latency, status), and the cursor moves past it. Failures would get rows of their own (not exercised here).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openConnection } from '../../src/outbox/sqlite/connection.js';
import { runMigrations } from '../../src/outbox/sqlite/migrate.js';
import { WriteQueue } from '../../src/outbox/sqlite/write-queue.js';
import { SqliteWriter, type WireIngestItem, type WriteOp } from '../../src/outbox/sqlite/writer.js';
import { plannedWireItems } from '../lib/wire-items.js';

const total = Number(process.argv[2] ?? 50_000);
const PER_COMMIT = 100;
const BATCH = 1000;
const wire = plannedWireItems(total, { seed: 5, orderPrefix: 'p' });
const destinations = [...new Set(wire[0]!.deliveries.map((d) => d.destination_id))];

const cpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function bytesPerEvent(db: Database.Database): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('VACUUM');
  const rows = db.prepare('SELECT sum(pgsize) AS bytes FROM dbstat').get() as { bytes: number };
  return rows.bytes / total;
}

interface Figures {
  ingestUs: number;
  deliveryUs: number;
  pendingBytes: number;
  restBytes: number;
}

async function today(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'mk-layout-today-'));
  const db = openConnection(join(dir, 'today.db'), 'full');
  runMigrations(db);
  const writer = new SqliteWriter(db);
  const queue = new WriteQueue(db, writer);
  const run = <T>(op: WriteOp): Promise<T> => queue.run(() => writer.execute(op)) as Promise<T>;
  let c = cpu();
  for (let i = 0; i < total; i += PER_COMMIT) await run({ kind: 'ingest', now: Date.now(), items: wire.slice(i, i + PER_COMMIT) });
  const ingestUs = (cpu() - c) / total;
  const pendingBytes = bytesPerEvent(db);
  let deliveries = 0;
  c = cpu();
  for (const destination of destinations) {
    for (;;) {
      const now = Date.now();
      const claimed = await run<{ id: number }[]>({ kind: 'claim', destination_id: destination, now, limit: BATCH, lease_until: now + 60_000 });
      if (claimed.length === 0) break;
      deliveries += claimed.length;
      await run({ kind: 'complete', now, updates: claimed.map((r) => ({ delivery_id: r.id, status: 'delivered' as const, attempt: { at: now, latency_ms: 5, http_status: 200, outcome: 'delivered' } })) });
    }
  }
  const deliveryUs = (cpu() - c) / deliveries;
  const restBytes = bytesPerEvent(db);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { ingestUs, deliveryUs, pendingBytes, restBytes };
}

function oneRowPerEvent(): Figures {
  const dir = mkdtempSync(join(tmpdir(), 'mk-layout-row-'));
  const db = openConnection(join(dir, 'row.db'), 'full');
  db.exec(`
    CREATE TABLE events (
      id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, event_name TEXT NOT NULL, source TEXT NOT NULL,
      test INTEGER NOT NULL, received_at INTEGER NOT NULL, body TEXT NOT NULL, hashes BLOB,
      plan INTEGER NOT NULL, sealed_contact BLOB, UNIQUE (event_id, source));
    CREATE INDEX events_received_at ON events (received_at);
    CREATE TABLE cursors (destination_id TEXT PRIMARY KEY, after_ref INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE delivered_ranges (
      destination_id TEXT NOT NULL, first_ref INTEGER NOT NULL, last_ref INTEGER NOT NULL, at INTEGER NOT NULL,
      latency_ms INTEGER NOT NULL, http_status INTEGER NOT NULL, PRIMARY KEY (destination_id, last_ref)) WITHOUT ROWID;
    CREATE TABLE backlog (destination_id TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;`);
  const bit = new Map(destinations.map((d, i) => [d, 1 << i]));
  const insert = db.prepare('INSERT INTO events (event_id, event_name, source, test, received_at, body, hashes, plan, sealed_contact) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id').pluck();
  // As the writer does per event: is there another leg with this event_id (then the take-over path would run).
  const twin = db.prepare('SELECT 1 FROM events WHERE event_id = ? AND id <> ? LIMIT 1');
  const addBacklog = db.prepare('INSERT INTO backlog (destination_id, n) VALUES (?, ?) ON CONFLICT (destination_id) DO UPDATE SET n = n + excluded.n');
  const ingest = db.transaction((items: WireIngestItem[], now: number) => {
    const planned = new Map<string, number>();
    for (const item of items) {
      let plan = 0;
      let sealed: Uint8Array | null = null;
      item.deliveries.forEach((d, i) => {
        if (d.status !== 'pending') return;
        plan |= bit.get(d.destination_id)!;
        planned.set(d.destination_id, (planned.get(d.destination_id) ?? 0) + 1);
        sealed ??= item.sealed[i] ?? null;
      });
      const id = insert.get(item.event_id, item.event_name, item.source, item.test ? 1 : 0, now, item.body, item.hashes, plan, sealed) as number;
      twin.get(item.event_id, id);
    }
    for (const [d, n] of planned) addBacklog.run(d, n);
  });
  let c = cpu();
  for (let i = 0; i < total; i += PER_COMMIT) ingest(wire.slice(i, i + PER_COMMIT), Date.now());
  const ingestUs = (cpu() - c) / total;
  const pendingBytes = bytesPerEvent(db);

  const next = db.prepare('SELECT id, body, hashes FROM events WHERE id > ? AND plan & ? ORDER BY id LIMIT ?');
  const cursorOf = db.prepare('SELECT after_ref FROM cursors WHERE destination_id = ?').pluck();
  const addRange = db.prepare('INSERT INTO delivered_ranges VALUES (?, ?, ?, ?, 5, 200)');
  const moveCursor = db.prepare('INSERT INTO cursors VALUES (?, ?) ON CONFLICT (destination_id) DO UPDATE SET after_ref = excluded.after_ref');
  const complete = db.transaction((destination: string, first: number, last: number, n: number, now: number) => {
    addRange.run(destination, first, last, now);
    moveCursor.run(destination, last);
    addBacklog.run(destination, -n);
  });
  let deliveries = 0;
  c = cpu();
  for (const destination of destinations) {
    for (;;) {
      const after = (cursorOf.get(destination) as number | undefined) ?? 0;
      // A claim reads the batch's events (the store parses each once for every destination, as today).
      const rows = next.all(after, bit.get(destination)!, BATCH) as { id: number }[];
      if (rows.length === 0) break;
      deliveries += rows.length;
      complete(destination, rows[0]!.id, rows.at(-1)!.id, rows.length, Date.now());
    }
  }
  const deliveryUs = (cpu() - c) / deliveries;
  const restBytes = bytesPerEvent(db);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { ingestUs, deliveryUs, pendingBytes, restBytes };
}

const a = await today();
const b = oneRowPerEvent();
const row = (label: string, f: Figures) =>
  `| ${label} | ${f.ingestUs.toFixed(1)} µs | ${f.deliveryUs.toFixed(1)} µs | ${f.pendingBytes.toFixed(0)} B | ${f.restBytes.toFixed(0)} B |`;
console.log(`${total} purchases, five destinations planned (the ones pending: ${destinations.join(', ')}); load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| layout | writer CPU per ingested event | writer CPU per delivery (claim + complete) | bytes per event, pending | at rest, delivered |');
console.log('|---|---|---|---|---|');
console.log(row('today (writer.ts)', a));
console.log(row('one row per event (prototype)', b));
