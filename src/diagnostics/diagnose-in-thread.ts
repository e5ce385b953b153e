import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { sqlitePathOf } from '../outbox/open.js';
import type { OutboxStore } from '../outbox/types.js';
import type { CommonSettings } from '../platforms/types.js';
import { reconcile, type Reconciler, type ReconcileStore } from '../reconcile/run.js';
import type { ReconcileReport } from '../reconcile/report.js';
import type { ReadJob } from './diagnose-job.js';
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
 * A worker thread that reads the store for the dashboard, one job at a time: diagnoses of stored events, and
 * reconciliations (gatewayReads). A window's scan walks every row of it to pick its sample (about 1.5 µs a row:
 * seconds for a week at a million events a day) and diagnosing builds five requests per sampled event; on the
 * gateway's thread that would stall ingest and webhooks (Shopify gives up after 5 s) for as long. A diagnosis's
 * memory is bounded by the sample (src/diagnostics/sample.ts), not by the window; a reconciliation's is not, and goes
 * with the thread once it has been idle. The thread is started on first use and kept for the next request (a
 * dashboard asks several pages' reads in a row) until idle.
 */
class DiagnosisThread {
  private worker: Worker | undefined;
  private idle: NodeJS.Timeout | undefined;

  run<T>(job: ReadJob): Promise<T> {
    if (this.idle) clearTimeout(this.idle);
    // A small young generation: the scan's short-lived strings (a hash per row read) are collected early instead of
    // growing the thread's heap — ~17 MiB less gateway RSS at the peak of a 1M-event day, for a little more GC.
    const worker = (this.worker ??= new Worker(new URL('./diagnose-thread.mjs', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 8 } }));
    // Held while it works (a CLI waiting on it must not exit), not while idle.
    worker.ref();
    const what = job.kind === 'diagnose' ? 'diagnosis' : 'reconciliation';
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        worker.unref();
        this.idle = setTimeout(() => this.close(), IDLE_MS).unref();
      };
      const onMessage = (m: { ok: true; report: T } | { ok: false; message: string; input?: { path: string; code: string } }) => {
        done();
        if (m.ok) resolve(m.report);
        else if (m.input) reject(new InputError(m.input.path, m.message, m.input.code));
        else reject(new Error(`${what} failed: ${m.message}`));
      };
      const onError = (err: Error) => {
        done();
        this.forget(worker);
        reject(new Error(`${what} failed: ${err.message}`));
      };
      const onExit = (code: number) => {
        done();
        this.forget(worker);
        reject(new Error(`${what}: worker exited with code ${code}`));
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
    return await thread.run<StoredDiagnosis>({ kind: 'diagnose', storageUrl, range, destinations: [...destinations], nowMs });
  } finally {
    thread.close();
  }
}

/** An in-memory SQLite database exists only on the gateway thread's connection: no other thread can read it. */
export const readableFromAnotherThread = (storageUrl: string): boolean => sqlitePathOf(storageUrl) !== ':memory:';

/** The gateway's reads that run off its thread. */
export interface GatewayReads {
  diagnose: Diagnoser;
  reconcile: Reconciler;
}

/**
 * The gateway's heavy reads — the dashboard's diagnoses, the daily snapshot and reconciliations — in one worker
 * thread when the store can be read from one, one at a time (dashboard pages and the daily snapshot asking together
 * wait their turn instead of adding up). A diagnosis holds a sample of up to 5,000 events; a reconciliation reads
 * its window's whole order log and delivery rows (200,000 paid orders with three destinations: ~7 s of CPU and
 * ~500 MiB, which on the gateway's thread stalled ingest and webhooks for as long and stayed in its heap).
 */
export function gatewayReads(store: Pick<OutboxStore, 'scanEvents' | 'countEvents'> & ReconcileStore, storageUrl: string, destinations: readonly CommonSettings[]): GatewayReads {
  const thread = new DiagnosisThread();
  const inThread = readableFromAnotherThread(storageUrl);
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    diagnose: (range, nowMs) =>
      oneAtATime(() =>
        inThread
          ? thread.run<StoredDiagnosis>({ kind: 'diagnose', storageUrl, range, destinations: [...destinations], nowMs })
          : diagnoseStored(store, range, { destinations }, nowMs),
      ),
    reconcile: (input) => oneAtATime(() => (inThread ? thread.run<ReconcileReport>({ kind: 'reconcile', storageUrl, input }) : reconcile({ ...input, store }))),
  };
}

/** The gateway's diagnoser alone (gatewayReads). */
export function gatewayDiagnoser(store: Pick<OutboxStore, 'scanEvents' | 'countEvents'> & ReconcileStore, storageUrl: string, destinations: readonly CommonSettings[]): Diagnoser {
  return gatewayReads(store, storageUrl, destinations).diagnose;
}
