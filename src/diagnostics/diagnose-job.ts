import { parentPort } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { openEventReader } from '../outbox/open.js';
import type { CommonSettings } from '../platforms/types.js';
import { reconcile, type ReconcileInput } from '../reconcile/run.js';
import { diagnoseStored } from './stored-events.js';

// Runs in a worker thread (diagnose-in-thread.ts), one job at a time as they come: reads through a read-only
// connection (no migration, no writer beside the gateway's) and answers the report — a diagnosis of a window of
// events, or a reconciliation of a window's orders with their deliveries.

export type ReadJob =
  | { kind: 'diagnose'; storageUrl: string; range: { from: number; to: number }; destinations: CommonSettings[]; nowMs: number }
  | { kind: 'reconcile'; storageUrl: string; input: Omit<ReconcileInput, 'store'> };

parentPort!.on('message', async (job: ReadJob) => {
  let reader: Awaited<ReturnType<typeof openEventReader>>;
  try {
    reader = await openEventReader(job.storageUrl);
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
    return;
  }
  try {
    const report =
      job.kind === 'diagnose'
        ? await diagnoseStored(reader, job.range, { destinations: job.destinations }, job.nowMs)
        : await reconcile({ ...job.input, store: reader });
    parentPort!.postMessage({ ok: true, report });
  } catch (err) {
    // What the reconciliation refuses (a window, an export) crosses as an InputError, so the route answers a 400.
    if (job.kind === 'reconcile' && err instanceof InputError) {
      const message = err.path && err.message.startsWith(`${err.path}: `) ? err.message.slice(err.path.length + 2) : err.message;
      parentPort!.postMessage({ ok: false, message, input: { path: err.path, code: err.code } });
    } else parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  } finally {
    await reader.close();
  }
});
