import type Database from 'better-sqlite3';

// Group commit. better-sqlite3 is synchronous, so a commit (and its fsync) blocks the event loop; while it
// does, new requests pile up in the socket buffers. Every write requested before the next `setImmediate`
// therefore shares one transaction and one fsync, and each caller is resolved only after that commit.
// Each operation runs in its own SAVEPOINT: one that throws is rolled back alone and rejects only its caller.

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class WriteQueue {
  private queue: QueuedWrite[] = [];
  private scheduled = false;
  private readonly commitAll: (ops: QueuedWrite[]) => { ok: boolean; value: unknown }[];
  /** Transactions committed and operations carried (for the benchmark's group-commit ratio). */
  readonly stats = { commits: 0, operations: 0 };

  constructor(db: Database.Database) {
    // Called inside the outer transaction, a better-sqlite3 transaction function becomes a SAVEPOINT.
    const savepoint = db.transaction((run: () => unknown) => run());
    this.commitAll = db.transaction((ops: QueuedWrite[]) =>
      ops.map((op) => {
        try {
          return { ok: true, value: savepoint(op.run) };
        } catch (err) {
          return { ok: false, value: err };
        }
      }),
    ).immediate as unknown as (ops: QueuedWrite[]) => { ok: boolean; value: unknown }[];
  }

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now (also used by close()). */
  flush(): void {
    this.scheduled = false;
    const ops = this.queue;
    if (ops.length === 0) return;
    this.queue = [];
    let outcomes: { ok: boolean; value: unknown }[];
    try {
      outcomes = this.commitAll(ops);
    } catch (err) {
      for (const op of ops) op.reject(err);
      return;
    }
    this.stats.commits++;
    this.stats.operations += ops.length;
    ops.forEach((op, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) op.resolve(outcome.value);
      else op.reject(outcome.value);
    });
  }
}
