import Database from 'better-sqlite3';
import { makePrivate } from './private-file.js';

export type SqliteSynchronous = 'full' | 'normal';

/** Opens a connection to the outbox file with the settings every writer of it uses (the store's and the writer thread's). */
export function openConnection(path: string, synchronous: SqliteSynchronous | undefined): Database.Database {
  makePrivate(path);
  const db = new Database(path);
  // A new database gets 8 KiB pages (an existing one keeps its size: WAL mode cannot change it). An event row is
  // ~2 KB of JSON, and 4 KiB pages held one or two of them: ~2,300 bytes on disk per event, ~2,060 with 8 KiB
  // pages (bench/micro/store-footprint.ts). Commits that group many events write as much either way.
  db.pragma('page_size = 8192');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  // Freed cell space (a sealed contact cleared on delivery) is zeroed where that costs no extra I/O.
  db.pragma('secure_delete = FAST');
  // 16 MiB of page cache per connection (the store's, the writer thread's), down from 64 MiB: each connection's
  // cache is the gateway's own memory, counted in its RSS, while the pages it would hold are in the OS page cache
  // anyway (a miss is a read(2) of a cached page, not disk I/O). Measured on the footprint benchmark: ingest peak
  // RSS −70 MiB, CPU per event unchanged within the noise (docs/BENCHMARKS.md).
  db.pragma('cache_size = -16384');
  db.pragma('journal_size_limit = 67108864');
  db.pragma('foreign_keys = OFF');
  // A group replayed after a failed write runs each write in its own SAVEPOINT (write-queue.ts), and SQLite copies
  // every page a savepoint touches again into a sub-journal: a temp FILE by default, which cost ~40 µs of syscalls
  // per single-event ingest when every write had one. In memory it is a memcpy. Only rollback data of the open
  // transaction lives there, never commits.
  db.pragma('temp_store = MEMORY');
  // Checkpoints run in a background thread (checkpointer.ts); this is only the safety net (~40 MB of WAL).
  if (path !== ':memory:') db.pragma(`wal_autocheckpoint = ${Math.round(40_960_000 / (db.pragma('page_size', { simple: true }) as number))}`);
  return db;
}
