// The writer thread's CPU per single-event POST, without HTTP or threads: `npx tsx bench/micro/writer-group.ts
// [events] [opsPerCommit] [rounds]`. Realistic purchases (bench/fixtures.ts) planned for the five destinations of
// the ingest benchmark (Klaviyo's row sealed), each its own ingest operation of one event, as the gateway's
// single-event POSTs are, `opsPerCommit` of them per group commit (the gateway's writer carries ~14) through the
// store's WriteQueue and SqliteWriter on this thread, SQLite synchronous=FULL. Prints CPU µs per event per round
// (process CPU, so the fsync's syscalls count) and the median, so a change to the group commit can be judged alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnection } from '../../src/outbox/sqlite/connection.js';
import { runMigrations } from '../../src/outbox/sqlite/migrate.js';
import { WriteQueue } from '../../src/outbox/sqlite/write-queue.js';
import { plannedWireItems } from '../lib/wire-items.js';
import { SqliteWriter } from '../../src/outbox/sqlite/writer.js';

const perRound = Number(process.argv[2] ?? 20_000);
const group = Number(process.argv[3] ?? 14);
const rounds = Number(process.argv[4] ?? 5);
const wire = plannedWireItems(perRound * rounds, { seed: 5, orderPrefix: 'g' });

const dir = mkdtempSync(join(tmpdir(), 'mk-micro-writer-group-'));
const db = openConnection(join(dir, 'bench.db'), 'full');
runMigrations(db);
const writer = new SqliteWriter(db);
const queue = new WriteQueue(db, writer);

const cpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const figures: number[] = [];
for (let r = 0; r < rounds; r++) {
  const c0 = cpu();
  for (let i = r * perRound; i < (r + 1) * perRound; i += group) {
    const calls: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(i + group, (r + 1) * perRound); j++) calls.push(queue.run(() => writer.execute({ kind: 'ingest', now: Date.now(), items: [wire[j]!] })));
    queue.flush();
    await Promise.all(calls);
  }
  figures.push((cpu() - c0) / perRound);
  // The gateway's checkpoint thread keeps the WAL short; here it is done between rounds, outside the measure.
  db.pragma('wal_checkpoint(TRUNCATE)');
}
const median = [...figures].sort((a, b) => a - b)[Math.floor(figures.length / 2)]!;
console.log(
  `writer CPU per single-event ingest, ${group} per commit: median ${median.toFixed(1)} µs (rounds ${figures.map((f) => f.toFixed(1)).join(', ')}; ${queue.stats.commits} commits); load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
);
db.close();
rmSync(dir, { recursive: true, force: true });
