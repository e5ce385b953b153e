import { Worker } from 'node:worker_threads';
import type { CommonSettings } from '../../platforms/types.js';
import type { SnapshotJob } from './snapshot-job.js';

/**
 * Takes one day's snapshot in a worker thread. A day can hold 100,000 events, and diagnosing them (five request
 * builds per event, cross-event findings) takes seconds of CPU and hundreds of MB: on the gateway's own thread
 * that would stall ingest and webhooks every time the history is refreshed.
 */
export function takeSnapshotInThread(storageUrl: string, day: string, destinations: readonly CommonSettings[], nowMs = Date.now()): Promise<number> {
  const job: SnapshotJob = { storageUrl, day, destinations: [...destinations], nowMs };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./snapshot-thread.mjs', import.meta.url), { workerData: job });
    let answered = false;
    worker.once('message', (m: { ok: true; platforms: number } | { ok: false; message: string }) => {
      answered = true;
      if (m.ok) resolve(m.platforms);
      else reject(new Error(`daily snapshot of ${day} failed: ${m.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`daily snapshot of ${day}: worker exited with code ${code}`));
    });
  });
}
