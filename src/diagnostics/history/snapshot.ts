import type { OutboxStore } from '../../outbox/types.js';
import type { CommonSettings } from '../../platforms/types.js';
import { diagnoseStored } from '../stored-events.js';
import type { DiagnosticsReport } from '../types.js';
import type { Diagnoser } from '../diagnose-in-thread.js';
import { dayRange, previousDay, utcDay } from './days.js';
import type { DailySnapshot, HistoryStore } from './types.js';

/** Unix ms; injectable so tests can fake days. */
export type Clock = () => number;

/**
 * One UTC day's diagnostics over the events received that day, one snapshot per platform. A day above
 * MAX_DIAGNOSED_EVENTS is diagnosed on a sample by event_id over the whole day (src/diagnostics/sample.ts):
 * coverage and readiness are the sample's shares, `events` is the day's count, and `sendable` and finding counts
 * are the sample's scaled to the day (estimates; `sample` says the rate and how many were seen and diagnosed).
 */
export async function computeDailySnapshots(
  store: Pick<OutboxStore, 'scanEvents' | 'countEvents'>,
  day: string,
  config: { destinations: readonly CommonSettings[] },
  takenAt: number,
  opts: { maxEvents?: number } = {},
): Promise<DailySnapshot[]> {
  return snapshotsFromReport(await diagnoseStored(store, dayRange(day), config, takenAt, opts), day, takenAt);
}

/** A day's snapshots from its diagnosis (diagnoseStored over the day, here or in a worker thread). */
export function snapshotsFromReport(report: DiagnosticsReport, day: string, takenAt: number): DailySnapshot[] {
  const sample = report.sample!;
  const scale = sample.events_diagnosed === 0 ? 1 : sample.events_seen / sample.events_diagnosed;
  const toDay = (n: number) => Math.round(n * scale);
  const snapshots: DailySnapshot[] = [];
  for (const [platform, figures] of Object.entries(report.platforms) as [DailySnapshot['platform'], NonNullable<(typeof report.platforms)['meta']>][]) {
    snapshots.push({
      day,
      platform,
      destination_id: figures.destination_id,
      events: toDay(figures.events),
      sendable: toDay(figures.sendable),
      coverage: figures.coverage,
      readiness: figures.readiness,
      findings: report.warnings
        .filter((w) => w.platforms.includes(platform))
        .map((w) => ({ code: w.code, severity: w.severity, count: toDay(w.count) })),
      sample,
      taken_at: takenAt,
    });
  }
  return snapshots;
}

/** A day's snapshots from a diagnoser (the gateway's runs in a worker thread), stored; returns what it stored. */
export async function takeDailySnapshotWith(diagnose: Diagnoser, history: Pick<HistoryStore, 'putSnapshots'>, day: string, nowMs: number): Promise<DailySnapshot[]> {
  let report;
  try {
    report = await diagnose(dayRange(day), nowMs);
  } catch (err) {
    throw new Error(`daily snapshot of ${day} failed: ${(err as Error).message}`);
  }
  const snapshots = snapshotsFromReport(report, day, nowMs);
  await history.putSnapshots(snapshots);
  return snapshots;
}

/** computeDailySnapshots, stored (replacing an earlier snapshot of the same day). Returns what it stored. */
export async function takeDailySnapshot(
  store: Pick<OutboxStore, 'scanEvents' | 'countEvents'>,
  history: HistoryStore,
  day: string,
  config: { destinations: readonly CommonSettings[] },
  clock: Clock = Date.now,
): Promise<DailySnapshot[]> {
  const snapshots = await computeDailySnapshots(store, day, config, clock());
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
 * has turned since the last tick, the previous day is taken once more so its last hours are in it. The first tick
 * does the same when yesterday's snapshot is incomplete.
 */
export function scheduleDailySnapshots(opts: {
  store: Pick<OutboxStore, 'scanEvents' | 'countEvents'>;
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
    const yesterday = previousDay(today);
    if (lastDay !== undefined ? lastDay !== today : await leftIncomplete(yesterday)) await take(yesterday);
    await take(today);
    lastDay = today;
  };
  // A process's first tick cannot know whether the day turned while no gateway ran (a restart at 00:10 after a stop
  // at 23:50, or a night down): yesterday is taken again when its snapshot was taken before the day ended, or when
  // it has none but events were received that day.
  const leftIncomplete = async (day: string): Promise<boolean> => {
    const dayEnd = dayRange(day).to;
    const taken = await opts.history.listSnapshots({ from: day, to: day });
    if (taken.length > 0) return taken.some((s) => s.taken_at < dayEnd);
    return (await opts.store.countEvents(dayRange(day))) > 0;
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
