import { Worker } from 'node:worker_threads';

// better-sqlite3 runs on the event loop. SQLite's automatic checkpoint runs inside whichever commit crosses the
// threshold, stalling that commit and every ack queued behind it for tens of milliseconds (measured: p99 ack
// latency 470 ms → 14 ms with it moved off the loop). A PASSIVE checkpoint needs no writer lock, so a second
// connection in a worker thread does it beside the writer. The writer keeps a far higher autocheckpoint
// threshold as a safety net should this thread fall behind.
//
// The same connection reads the delivery counts (/metrics, the dashboard), off the event loop. Since the backlog is
// counted incrementally (migration 004) that reading is a few rows; it once walked every pending row.

export type CountRow = Record<string, unknown>;

/**
 * The thread allocates a timer tick every 250 ms and a few count rows per /metrics reading: the smallest young
 * generation does, instead of V8's default that may grow to two 16 MiB semi-spaces.
 */
export const CHECKPOINT_THREAD_LIMITS = { maxYoungGenerationSizeMb: 4 } as const;

type CountsReply = { type: 'counts'; id: number } & ({ ok: true; totals: CountRow[]; pending: CountRow[] } | { ok: false; message: string });

export class Checkpointer {
  private readonly worker: Worker;
  private exited: Promise<void>;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (rows: { totals: CountRow[]; pending: CountRow[] }) => void; reject: (err: Error) => void }>();

  constructor(path: string, intervalMs = 250) {
    this.worker = new Worker(new URL('./checkpoint-thread.mjs', import.meta.url), { workerData: { path, intervalMs }, resourceLimits: CHECKPOINT_THREAD_LIMITS });
    this.worker.unref();
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.failWaiting(new Error('outbox: the SQLite checkpoint thread exited'));
        resolve();
      }),
    );
    this.worker.on('error', (err) => this.failWaiting(err));
    this.worker.on('message', (reply: CountsReply) => {
      if (reply?.type !== 'counts') return;
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (reply.ok) waiter.resolve({ totals: reply.totals, pending: reply.pending });
      else waiter.reject(new Error(`outbox: counting deliveries failed: ${reply.message}`));
    });
  }

  /** The limits V8 applies to the thread's isolate (0 = V8's default), as the thread itself reports them. */
  get resourceLimits(): Worker['resourceLimits'] {
    return this.worker.resourceLimits;
  }

  /** The rows of counts.sql and counts-pending.sql, read in one snapshot on the thread's connection. */
  countRows(): Promise<{ totals: CountRow[]; pending: CountRow[] }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'counts', id });
    });
  }

  async stop(): Promise<void> {
    // Unref'd so it never keeps the gateway alive; ref'd while closing so the process waits for the clean exit.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }

  private failWaiting(err: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(err);
    this.waiting.clear();
  }
}
