import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../outbox/open.js';
import type { CommonSettings } from '../../platforms/types.js';
import { openHistoryStore } from './open.js';
import { takeDailySnapshot } from './snapshot.js';

// Runs in a worker thread (snapshot-in-thread.ts): opens the store and the history by URL, takes one day's
// snapshot, answers how many platform rows it wrote.

export interface SnapshotJob {
  storageUrl: string;
  day: string;
  destinations: CommonSettings[];
  nowMs: number;
}

const job = workerData as SnapshotJob;
try {
  const store = await openStore(job.storageUrl);
  try {
    await store.migrate();
    const history = await openHistoryStore(job.storageUrl);
    try {
      const snapshots = await takeDailySnapshot(store, history, job.day, { destinations: job.destinations }, () => job.nowMs);
      parentPort!.postMessage({ ok: true, platforms: snapshots.length });
    } finally {
      await history.close();
    }
  } finally {
    await store.close();
  }
} catch (err) {
  parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
