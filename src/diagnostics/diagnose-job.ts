import { parentPort } from 'node:worker_threads';
import { openEventReader } from '../outbox/open.js';
import type { CommonSettings } from '../platforms/types.js';
import { diagnoseStored } from './stored-events.js';

// Runs in a worker thread (diagnose-in-thread.ts), one job at a time as they come: reads the window through a
// read-only connection (no migration, no writer beside the gateway's), diagnoses it and answers the report.

export interface DiagnoseJob {
  storageUrl: string;
  range: { from: number; to: number };
  destinations: CommonSettings[];
  nowMs: number;
}

parentPort!.on('message', async (job: DiagnoseJob) => {
  try {
    const reader = await openEventReader(job.storageUrl);
    try {
      parentPort!.postMessage({ ok: true, report: await diagnoseStored(reader, job.range, { destinations: job.destinations }, job.nowMs) });
    } finally {
      await reader.close();
    }
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
