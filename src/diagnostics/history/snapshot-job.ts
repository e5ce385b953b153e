import { parentPort, workerData } from 'node:worker_threads';
import { openEventReader } from '../../outbox/open.js';
import type { CommonSettings } from '../../platforms/types.js';
import { computeDailySnapshots } from './snapshot.js';

// Runs in a worker thread (snapshot-in-thread.ts): reads the day through a read-only connection (no migration, no
// writer beside the gateway's), diagnoses it and answers the snapshots; the gateway's thread stores them.

export interface SnapshotJob {
  storageUrl: string;
  day: string;
  destinations: CommonSettings[];
  nowMs: number;
}

const job = workerData as SnapshotJob;
try {
  const reader = await openEventReader(job.storageUrl);
  try {
    const snapshots = await computeDailySnapshots(reader, job.day, { destinations: job.destinations }, job.nowMs);
    parentPort!.postMessage({ ok: true, snapshots });
  } finally {
    await reader.close();
  }
} catch (err) {
  parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
