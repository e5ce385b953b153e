import { Worker } from 'node:worker_threads';
import { sqlitePathOf } from '../outbox/open.js';
import type { OutboxStore } from '../outbox/types.js';
import type { CommonSettings } from '../platforms/types.js';
import type { DiagnoseJob } from './diagnose-job.js';
import { diagnoseStored } from './stored-events.js';
import type { DedupReport, DiagnosticsReport } from './types.js';

export type StoredDiagnosis = DiagnosticsReport & { dedup: DedupReport };
/** Diagnoses the events received in [from, to) (unix ms) as of `nowMs`. */
export type Diagnoser = (range: { from: number; to: number }, nowMs: number) => Promise<StoredDiagnosis>;

/**
 * An idle diagnosis thread is ended after this long. Long enough for the dashboard's pages asked in a row to share
 * it; short, because until it ends it keeps its isolate and the heap its last sample left (the footprint bench saw
 * ~40 MiB more gateway RSS after a daily snapshot with 30 s).
 */
const IDLE_MS = 5_000;

/**
 * A worker thread that diagnoses stored events, one job at a time. A window's scan walks every row of it to pick its
 * sample (about 1.5 µs a row: seconds for a week at a million events a day) and diagnosing builds five requests per
 * sampled event; on the gateway's thread that would stall ingest and webhooks (Shopify gives up after 5 s) for as
 * long. Memory is bounded by the sample (src/diagnostics/sample.ts), not by the window. The thread is started on
 * first use and kept for the next request (a dashboard asks several pages' diagnoses in a row) until idle.
 */
class DiagnosisThread {
  private worker: Worker | undefined;
  private idle: NodeJS.Timeout | undefined;

  run(job: DiagnoseJob): Promise<StoredDiagnosis> {
    if (this.idle) clearTimeout(this.idle);
    // A small young generation: the scan's short-lived strings (a hash per row read) are collected early instead of
    // growing the thread's heap — ~17 MiB less gateway RSS at the peak of a 1M-event day, for a little more GC.
    const worker = (this.worker ??= new Worker(new URL('./diagnose-thread.mjs', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 8 } }));
    // Held while it works (a CLI waiting on it must not exit), not while idle.
    worker.ref();
    return new Promise<StoredDiagnosis>((resolve, reject) => {
      const done = () => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        worker.unref();
        this.idle = setTimeout(() => this.close(), IDLE_MS).unref();
      };
      const onMessage = (m: { ok: true; report: StoredDiagnosis } | { ok: false; message: string }) => {
        done();
        if (m.ok) resolve(m.report);
        else reject(new Error(`diagnosis failed: ${m.message}`));
      };
      const onError = (err: Error) => {
        done();
        this.forget(worker);
        reject(new Error(`diagnosis failed: ${err.message}`));
      };
      const onExit = (code: number) => {
        done();
        this.forget(worker);
        reject(new Error(`diagnosis: worker exited with code ${code}`));
      };
      worker.on('message', onMessage).once('error', onError).once('exit', onExit);
      worker.postMessage(job);
    });
  }

  close(): void {
    if (this.idle) clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private forget(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
  }
}

/** One diagnosis in a thread of its own, ended when it answers. */
export async function diagnoseInThread(storageUrl: string, range: { from: number; to: number }, destinations: readonly CommonSettings[], nowMs: number): Promise<StoredDiagnosis> {
  const thread = new DiagnosisThread();
  try {
    return await thread.run({ storageUrl, range, destinations: [...destinations], nowMs });
  } finally {
    thread.close();
  }
}

/** An in-memory SQLite database exists only on the gateway thread's connection: no other thread can read it. */
export const readableFromAnotherThread = (storageUrl: string): boolean => sqlitePathOf(storageUrl) !== ':memory:';

/**
 * The gateway's diagnoser: in a worker thread when the store can be read from one, one diagnosis at a time (each
 * holds a sample of up to 5,000 events; dashboard pages and the daily snapshot asking together wait their turn
 * instead of adding up).
 */
export function gatewayDiagnoser(store: Pick<OutboxStore, 'scanEvents' | 'countEvents'>, storageUrl: string, destinations: readonly CommonSettings[]): Diagnoser {
  const thread = new DiagnosisThread();
  const run: Diagnoser = readableFromAnotherThread(storageUrl)
    ? (range, nowMs) => thread.run({ storageUrl, range, destinations: [...destinations], nowMs })
    : (range, nowMs) => diagnoseStored(store, range, { destinations }, nowMs);
  let queue: Promise<unknown> = Promise.resolve();
  return (range, nowMs) => {
    const next = queue.then(() => run(range, nowMs));
    queue = next.catch(() => undefined);
    return next;
  };
}
