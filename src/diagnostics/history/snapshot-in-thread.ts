import { diagnoseInThread } from '../diagnose-in-thread.js';
import type { CommonSettings } from '../../platforms/types.js';
import { takeDailySnapshotWith } from './snapshot.js';
import type { DailySnapshot, HistoryStore } from './types.js';

/**
 * Takes one day's snapshot with the diagnosis in a worker thread (diagnose-in-thread.ts) and stores it in `history`
 * (the caller's own history store, so the thread only reads). The gateway goes through its shared diagnoser
 * instead (gatewayDiagnoser: one diagnosis at a time with the dashboard's).
 */
export function takeSnapshotInThread(
  storageUrl: string,
  history: Pick<HistoryStore, 'putSnapshots'>,
  day: string,
  destinations: readonly CommonSettings[],
  nowMs = Date.now(),
): Promise<DailySnapshot[]> {
  return takeDailySnapshotWith((range, now) => diagnoseInThread(storageUrl, range, destinations, now), history, day, nowMs);
}
