import type { OutboxStore } from '../../outbox/types.js';
import type { CommonSettings } from '../../platforms/types.js';
import { diagnoseStored } from '../stored-events.js';
import { dayRange, previousDay, utcDay } from './days.js';
import type { DailySnapshot, HistoryStore } from './types.js';

/** Unix ms; injectable so tests can fake days. */
export type Clock = () => number;

/**
 * Computes one UTC day's diagnostics over the events received that day and stores one snapshot per platform
 * (replacing an earlier snapshot of the same day). Returns what it stored.
 */
export async function takeDailySnapshot(
  store: Pick<OutboxStore, 'listEvents'>,
  history: HistoryStore,
  day: string,
  config: { destinations: readonly CommonSettings[] },
  clock: Clock = Date.now,
): Promise<DailySnapshot[]> {
  const takenAt = clock();
  const report = await diagnoseStored(store, dayRange(day), config, takenAt);
  const snapshots: DailySnapshot[] = [];
  for (const [platform, figures] of Object.entries(report.platforms) as [DailySnapshot['platform'], NonNullable<(typeof report.platforms)['meta']>][]) {
    snapshots.push({
      day,
      platform,
      destination_id: figures.destination_id,
      events: figures.events,
      sendable: figures.sendable,
      coverage: figures.coverage,
      readiness: figures.readiness,
      findings: report.warnings
        .filter((w) => w.platforms.includes(platform))
        .map((w) => ({ code: w.code, severity: w.severity, count: w.count })),
      taken_at: takenAt,
    });
  }
  await history.putSnapshots(snapshots);
  return snapshots;
}

export interface SnapshotScheduler {
  /** Snapshots today (so far) and, on the first tick of a new day, yesterday once more (complete). */
  tick(): Promise<void>;
  stop(): void;
}

/**
 * Keeps the history current: every `intervalMs` (default 15 min) today's snapshot is refreshed; when the day
 * has turned since the last tick, the previous day is taken once more so its last hours are in it.
 */
export function scheduleDailySnapshots(opts: {
  store: Pick<OutboxStore, 'listEvents'>;
  history: HistoryStore;
  config: { destinations: readonly CommonSettings[] };
  clock?: Clock;
  intervalMs?: number;
  onError?: (err: unknown) => void;
  /** How one day's snapshot is taken (the gateway: in a worker thread); default takeDailySnapshot here. */
  take?: (day: string) => Promise<unknown>;
}): SnapshotScheduler {
  const clock = opts.clock ?? Date.now;
  const take = opts.take ?? ((day: string) => takeDailySnapshot(opts.store, opts.history, day, opts.config, clock));
  let lastDay: string | undefined;
  let running: Promise<void> | undefined;
  const tick = async () => {
    const today = utcDay(clock());
    if (lastDay !== undefined && lastDay !== today) await take(previousDay(today));
    await take(today);
    lastDay = today;
  };
  const guarded = () => {
    // A slow tick is not overlapped by the next one.
    running ??= tick()
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void guarded(), opts.intervalMs ?? 15 * 60_000);
  timer.unref();
  return { tick: guarded, stop: () => clearInterval(timer) };
}
