import { Worker } from 'node:worker_threads';

// better-sqlite3 runs on the event loop. SQLite's automatic checkpoint runs inside whichever commit crosses the
// threshold, stalling that commit and every ack queued behind it for tens of milliseconds (measured: p99 ack
// latency 470 ms → 14 ms with it moved off the loop). A PASSIVE checkpoint needs no writer lock, so a second
// connection in a worker thread does it beside the writer. The writer keeps a far higher autocheckpoint
// threshold as a safety net should this thread fall behind.

export class Checkpointer {
  private readonly worker: Worker;
  private exited: Promise<void>;

  constructor(path: string, intervalMs = 250) {
    this.worker = new Worker(new URL('./checkpoint-thread.mjs', import.meta.url), { workerData: { path, intervalMs } });
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('error', () => undefined);
  }

  async stop(): Promise<void> {
    // Unref'd so it never keeps the gateway alive; ref'd while closing so the process waits for the clean exit.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
