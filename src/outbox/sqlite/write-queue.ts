import type Database from 'better-sqlite3';

// Group commit. better-sqlite3 is synchronous, so a commit (and its fsync) blocks the event loop; while it
// does, new requests pile up in the socket buffers. Every write requested before the next `setImmediate`
// therefore shares one transaction and one fsync, and each caller is resolved only after that commit.
//
// An operation that throws is rolled back alone and rejects only its caller. The common group has no failure, so
// it runs without a SAVEPOINT per operation: a savepoint costs two statements, and SQLite copies every page an
// operation touches that the transaction had already changed (the counts, the index leaves) into its sub-journal —
// with ~14 single-event POSTs per commit that was most of the writer's time (docs/BENCHMARKS.md). When an
// operation does throw, the whole transaction is rolled back and the group runs again with one SAVEPOINT per
// operation, so the failing one alone is undone. Operations are writes to this connection only, so running one
// again after a rollback is running it for the first time; state a writer keeps in memory across operations is
// held back or forgotten through the hooks below.

/** What the queue tells the code running its operations about the transaction's fate. */
export interface GroupHooks {
  /**
   * Writes, inside the open transaction, what the operations deferred since the last call (e.g. running counts
   * summed over the group). Called after each operation when every operation has its own savepoint, else once
   * before the commit. May throw like an operation.
   */
  flushDeferred(): void;
  /** What the operations did since the last flushDeferred() was rolled back: forget what was kept of it. */
  discardDeferred(): void;
}

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: boolean; value: unknown };

/** Thrown out of the group's transaction to roll it back when one operation failed: the group runs again. */
class OperationFailed {}
const OPERATION_FAILED = new OperationFailed();

export class WriteQueue {
  private queue: QueuedWrite[] = [];
  private scheduled = false;
  private readonly commitTogether: (ops: QueuedWrite[]) => unknown[];
  private readonly commitEach: (ops: QueuedWrite[]) => Outcome[];
  private readonly hooks: GroupHooks;
  /** Transactions committed and operations carried (for the benchmark's group-commit ratio). */
  readonly stats = { commits: 0, operations: 0 };

  constructor(db: Database.Database, hooks: GroupHooks) {
    this.hooks = hooks;
    this.commitTogether = db.transaction((ops: QueuedWrite[]) => {
      const values = new Array<unknown>(ops.length);
      try {
        for (let i = 0; i < ops.length; i++) values[i] = ops[i]!.run();
        hooks.flushDeferred();
      } catch {
        throw OPERATION_FAILED;
      }
      return values;
    }).immediate as unknown as (ops: QueuedWrite[]) => unknown[];
    // Called inside the outer transaction, a better-sqlite3 transaction function becomes a SAVEPOINT.
    const savepoint = db.transaction((run: () => unknown) => {
      const value = run();
      hooks.flushDeferred();
      return value;
    });
    this.commitEach = db.transaction((ops: QueuedWrite[]) =>
      ops.map((op) => {
        try {
          return { ok: true, value: savepoint(op.run) };
        } catch (err) {
          hooks.discardDeferred();
          // Some errors (a full disk, an I/O error) make SQLite roll back the whole transaction, not only the
          // savepoint: the operations before this one are gone too, and the ones after would each commit alone.
          if (!db.inTransaction) throw err;
          return { ok: false, value: err };
        }
      }),
    ).immediate as unknown as (ops: QueuedWrite[]) => Outcome[];
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
    let values: unknown[] | undefined;
    try {
      values = this.commitTogether(ops);
    } catch (err) {
      this.hooks.discardDeferred();
      // The commit itself failed (the disk, the file): no operation is stored, and running them again would fail alike.
      if (err !== OPERATION_FAILED) return this.rejectAll(ops, err);
    }
    if (values) {
      this.committed(ops);
      for (let i = 0; i < ops.length; i++) ops[i]!.resolve(values[i]);
      return;
    }
    let outcomes: Outcome[];
    try {
      outcomes = this.commitEach(ops);
    } catch (err) {
      this.hooks.discardDeferred();
      return this.rejectAll(ops, err);
    }
    this.committed(ops);
    ops.forEach((op, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) op.resolve(outcome.value);
      else op.reject(outcome.value);
    });
  }

  private committed(ops: QueuedWrite[]): void {
    this.stats.commits++;
    this.stats.operations += ops.length;
  }

  private rejectAll(ops: QueuedWrite[], err: unknown): void {
    for (const op of ops) op.reject(err);
  }
}
