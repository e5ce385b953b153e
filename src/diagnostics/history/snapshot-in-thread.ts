import { Worker } from 'node:worker_threads';
import type { CommonSettings } from '../../platforms/types.js';
import type { SnapshotJob } from './snapshot-job.js';
import type { DailySnapshot, HistoryStore } from './types.js';

/**
 * Takes one day's snapshot in a worker thread and stores it in `history` (the gateway's own history store, so the
 * thread only reads). Diagnosing a day (five request builds per event, cross-event findings) takes seconds of CPU:
 * on the gateway's own thread that would stall ingest and webhooks every time the history is refreshed. Its memory
 * is bounded by the sample (src/diagnostics/sample.ts), not by the day's volume.
 */
export async function takeSnapshotInThread(
  storageUrl: string,
  history: Pick<HistoryStore, 'putSnapshots'>,
  day: string,
  destinations: readonly CommonSettings[],
  nowMs = Date.now(),
): Promise<DailySnapshot[]> {
  const job: SnapshotJob = { storageUrl, day, destinations: [...destinations], nowMs };
  const snapshots = await new Promise<DailySnapshot[]>((resolve, reject) => {
    // A small young generation: the scan's short-lived strings (a hash per row read) are collected early instead of
    // growing the thread's heap — ~17 MiB less gateway RSS at the peak of a 1M-event day, for a little more GC.
    const worker = new Worker(new URL('./snapshot-thread.mjs', import.meta.url), { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    let answered = false;
    worker.once('message', (m: { ok: true; snapshots: DailySnapshot[] } | { ok: false; message: string }) => {
      answered = true;
      if (m.ok) resolve(m.snapshots);
      else reject(new Error(`daily snapshot of ${day} failed: ${m.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`daily snapshot of ${day}: worker exited with code ${code}`));
    });
  });
  await history.putSnapshots(snapshots);
  return snapshots;
}
