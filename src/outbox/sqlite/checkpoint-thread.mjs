// Runs WAL checkpoints on its own connection, in its own thread (see checkpointer.ts for why), and answers the
// delivery counts on that connection, off the event loop.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
// The checkpoint copies committed pages into the database file and syncs it before the WAL can be reused.
db.pragma('synchronous = FULL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again; the writer's own autocheckpoint is the safety net.
  }
}, workerData.intervalMs);

const sql = (name) => readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
// Prepared on first use: the tables exist only once the store has migrated.
let readCounts;

parentPort.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
    return;
  }
  if (message?.type !== 'counts') return;
  try {
    if (!readCounts) {
      const totals = db.prepare(sql('counts'));
      const pending = db.prepare(sql('counts-pending'));
      // One read transaction: totals and pending rows from the same snapshot.
      readCounts = db.transaction(() => ({ totals: totals.all(), pending: pending.all() }));
    }
    parentPort.postMessage({ type: 'counts', id: message.id, ok: true, ...readCounts() });
  } catch (err) {
    parentPort.postMessage({ type: 'counts', id: message.id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
