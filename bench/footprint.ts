import { waitDrained } from './backlog.js';
import { EventBodies } from './lib/bodies.js';
import { dirBytes, pauseDestinations, removeDir, scratchDir, startCluster, type Cluster } from './lib/cluster.js';
import { ADMIN_TOKEN, ALL_PLATFORMS, BATCH_PLATFORMS, procCpuMs, procThreadsCpuNs, type DestinationName, type GatewayProcess } from './lib/gateway.js';
import { readdirSync, readFileSync } from 'node:fs';
import { closedLoop } from './lib/load.js';
import { loadNow } from './lib/machine.js';
import type { SimClient } from './lib/simulators.js';
import { percentile } from './lib/stats.js';

// The gateway's own cost, which the load generator cannot distort: CPU per acknowledged event (process user + sys,
// all threads, read from /proc before and after), RSS in every phase, bytes on disk per event, and the cost of a
// /metrics reading with the backlog pending. One `matchkey serve` child process on SQLite (`synchronous=FULL`),
// the five destinations of the demo configured:
// 1. ingest: single-event POSTs (64 concurrent), then N events in batches of 100 (8 concurrent), the destinations
//    paused (bench/lib/cluster.ts), so the CPU is ingest alone;
// 2. N pending: RSS at rest, and /metrics scrapes (each a fresh reading of the store's counts);
// 3. stopped (the store checkpoints and removes its WAL): the files on disk over the events stored;
// 4. drain: restarted with Meta, TikTok and Pinterest open (Google and Klaviyo stay paused: their rate limits, not
//    the gateway, would set the pace) until the simulators (own process) have every event;
// 5. diagnostics snapshot: a fresh gateway on the same file takes its first daily snapshot 60 s after start
//    (src/server/run.ts); RSS from then until the snapshot is in the history.
// A gateway that runs longer than a minute takes its first daily snapshot (60 s after start) whatever it is doing: the
// samples taken while it runs are left out of that phase's figures (and shown beside them), so each phase is its own.

export interface PhaseMemory {
  peakKiB: number;
  medianKiB: number;
  samples: number;
  /** Peak of the samples left out because the gateway's daily snapshot was running then (the phase overlapped it). */
  withSnapshotPeakKiB?: number;
}

export interface FootprintFigures {
  /** Events stored (pending) when the backlog phase is measured. */
  events: number;
  single: { events: number; cpuUsPerEvent: number; eventsPerSec: number; failures: number };
  batched: { events: number; cpuUsPerEvent: number; eventsPerSec: number; failures: number };
  rss: { ingest: PhaseMemory; pending: PhaseMemory; drain: PhaseMemory; snapshot: PhaseMemory };
  diskBytes: number;
  diskBytesPerEvent: number;
  /** Median over fresh /metrics scrapes with the backlog pending: gateway CPU (all threads) and wall time, ms. */
  metrics: { cpuMs: number; wallMs: number; readings: number };
  drain: { deliveriesPerSec: number; drained: boolean; seconds: number };
  snapshot: { taken: boolean; seconds: number };
  loadStart: string;
  loadEnd: string;
}

const SAMPLE_MS = 100;
/** src/server/run.ts: the first daily snapshot starts 60 s after the gateway listens. */
const FIRST_SNAPSHOT_MS = 60_000;

export interface Sample {
  at: number;
  kib: number;
}

/** The gateway's RSS every SAMPLE_MS, with the time of each reading. */
function sampleRss(gw: GatewayProcess): { stop(): Sample[] } {
  const samples: Sample[] = [];
  const take = (): void => {
    const kib = gw.memory().rssKiB;
    if (Number.isFinite(kib)) samples.push({ at: Date.now(), kib });
  };
  take();
  const timer = setInterval(take, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/**
 * Every thread's CPU as last seen (ns, /proc/<pid>/task/<tid>/schedstat) and when each thread was first seen: the
 * daily snapshot runs in a worker thread of its own, so its CPU can be told from ingest's.
 */
class ThreadCpu {
  private readonly seen = new Map<string, { firstAt: number; ns: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.take();
    this.timer = setInterval(() => this.take(), SAMPLE_MS);
  }

  take(): void {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${this.pid}/task`);
    } catch {
      return;
    }
    const now = Date.now();
    for (const tid of tids) {
      try {
        const ns = Number(readFileSync(`/proc/${this.pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
        const entry = this.seen.get(tid);
        if (entry) entry.ns = ns;
        else this.seen.set(tid, { firstAt: now, ns });
      } catch {
        // Exited between the listing and the read.
      }
    }
  }

  /** CPU ms of the threads first seen within [from, to]. */
  bornWithinMs(from: number, to: number): number {
    let ns = 0;
    for (const t of this.seen.values()) if (t.firstAt >= from && t.firstAt <= to) ns += t.ns;
    return ns / 1e6;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * A gateway's first daily snapshot: from FIRST_SNAPSHOT_MS after it started listening until the snapshot is in the
 * history (GET /api/diagnostics/history), polled in the background.
 */
class SnapshotWatch {
  readonly from: number;
  to = Number.POSITIVE_INFINITY;
  readonly done: Promise<boolean>;
  private stopped = false;

  constructor(gw: GatewayProcess, startedAt: number, timeoutMs: number) {
    // The timer is set just before the bench sees the "listening" line: a second of margin.
    const from = startedAt + FIRST_SNAPSHOT_MS - 1000;
    this.from = from;
    this.done = (async () => {
      // Unref'd: a watch stopped before its snapshot is due does not hold the bench open.
      await new Promise((r) => setTimeout(r, Math.max(0, from - Date.now())).unref());
      const deadline = Date.now() + timeoutMs;
      while (!this.stopped && Date.now() < deadline) {
        try {
          const res = await fetch(`${gw.url}/api/diagnostics/history`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
          if (res.ok && ((await res.json()) as { snapshots: { taken_at: number }[] }).snapshots.some((x) => x.taken_at >= startedAt)) {
            this.to = Date.now();
            return true;
          }
        } catch {
          // Stopped under us.
        }
        await sleep(250);
      }
      return false;
    })();
  }

  during(at: number): boolean {
    return at >= this.from && at <= this.to + SAMPLE_MS;
  }

  stop(): void {
    this.stopped = true;
  }
}

/** Peak and median of the samples outside the gateway's snapshot (`inside`: of those during it). */
export function phase(samples: readonly Sample[], watch: Pick<SnapshotWatch, 'during'>, inside = false): PhaseMemory {
  const own = samples.filter((x) => watch.during(x.at) === inside).map((x) => x.kib).sort((a, b) => a - b);
  const other = samples.filter((x) => watch.during(x.at) !== inside).map((x) => x.kib);
  const figures: PhaseMemory = { peakKiB: own.at(-1) ?? Number.NaN, medianKiB: percentile(own, 50), samples: own.length };
  if (!inside && other.length > 0) figures.withSnapshotPeakKiB = Math.max(...other);
  return figures;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Gateway CPU (µs) per event of `run`: utime + stime of the whole process, every thread, less the CPU of the daily
 * snapshot's thread when it ran meanwhile (`snapshotMs`).
 */
async function cpuPerEvent<T extends { events: number }>(
  gw: GatewayProcess,
  threads: ThreadCpu,
  watch: SnapshotWatch,
  run: () => Promise<T>,
): Promise<{ result: T; cpuUsPerEvent: number; snapshotMs: number }> {
  const from = Date.now();
  const before = gw.cpuMs();
  const result = await run();
  // The writer thread may still be finishing the last commit's bookkeeping: let it settle before reading.
  await sleep(50);
  const after = gw.cpuMs();
  threads.take();
  const snapshotMs = threads.bornWithinMs(Math.max(from, watch.from), Math.min(Date.now(), watch.to));
  return { result, cpuUsPerEvent: ((after - before - snapshotMs) * 1000) / result.events, snapshotMs };
}

/** One fresh /metrics reading at a time (the gateway reuses a reading for ≥ 10× its cost), gateway CPU around each. */
async function metricsReadings(gw: GatewayProcess, readings: number): Promise<{ figures: FootprintFigures['metrics']; queueDepth: Record<string, number> }> {
  const cpu: number[] = [];
  const wall: number[] = [];
  let reuseMs = 1000;
  let last = '';
  for (let i = 0; i < readings; i++) {
    await sleep(reuseMs);
    const c0 = procThreadsCpuNs(gw.pid);
    const t0 = performance.now();
    const res = await fetch(`${gw.url}/metrics`);
    const text = await res.text();
    const ms = performance.now() - t0;
    if (!res.ok || !text.includes('matchkey_deliveries')) throw new Error(`/metrics answered ${res.status}`);
    // The answer is sent before every thread is done (the counts are read on the checkpoint thread): let them finish.
    await sleep(20);
    cpu.push((procThreadsCpuNs(gw.pid) - c0) / 1e6);
    wall.push(ms);
    reuseMs = Math.max(1000, Math.ceil(ms * 12));
    last = text;
  }
  const queueDepth: Record<string, number> = {};
  for (const m of last.matchAll(/^matchkey_queue_depth\{destination="([^"]+)"[^}]*\} (\d+)$/gm)) queueDepth[m[1]!] = Number(m[2]);
  return { figures: { cpuMs: percentile(cpu.sort((a, b) => a - b), 50), wallMs: percentile(wall.sort((a, b) => a - b), 50), readings }, queueDepth };
}

export async function runFootprint(sim: SimClient, o: { quick: boolean; log: (line: string) => void }): Promise<FootprintFigures> {
  const loadStart = loadNow();
  const events = o.quick ? 50_000 : 1_000_000;
  const singles = o.quick ? 5_000 : 20_000;
  const bodies = new EventBodies(`fp${Date.now().toString(36)}`);
  const platforms: DestinationName[] = ALL_PLATFORMS;
  const storageUrl = (dir: string): string => `sqlite:${dir}/matchkey.db`;
  const dir = scratchDir('mk-bench-footprint-');
  let cluster: Cluster | undefined;
  let watch: SnapshotWatch | undefined;
  let threads: ThreadCpu | undefined;
  let n = 0;
  try {
    await sim.normal();
    await sim.clear();
    cluster = await startCluster({ storageUrl, instances: 1, sim, platforms, dir });
    let gw = cluster.gateways[0]!;
    watch = new SnapshotWatch(gw, Date.now(), 600_000);
    threads = new ThreadCpu(gw.pid);
    const ingestRss = sampleRss(gw);
    await pauseDestinations(cluster, sim, platforms, () => bodies.one(n++));
    const pools = cluster.pools;
    // Warm-up: JIT, connections, the first WAL growth.
    await closedLoop(pools, { concurrency: 32, requests: 1000, eventsPerRequest: 1, body: () => bodies.one(n++) });

    const single = await cpuPerEvent(gw, threads, watch, () => closedLoop(pools, { concurrency: 64, requests: singles, eventsPerRequest: 1, body: () => bodies.one(n++) }));
    o.log(`  single-event POSTs: ${Math.round(single.result.events / single.result.seconds)} events/s, gateway CPU ${single.cpuUsPerEvent.toFixed(1)} µs/event${leftOut(single.snapshotMs)}`);
    const batched = await cpuPerEvent(gw, threads, watch, () =>
      closedLoop(pools, {
        concurrency: 8,
        requests: Math.ceil(events / 100),
        eventsPerRequest: 100,
        body: () => {
          const body = bodies.batch(n, 100);
          n += 100;
          return body;
        },
      }),
    );
    o.log(`  batches of 100: ${Math.round(batched.result.events / batched.result.seconds)} events/s, gateway CPU ${batched.cpuUsPerEvent.toFixed(1)} µs/event${leftOut(batched.snapshotMs)}`);
    threads.stop();
    const rssIngest = phase(ingestRss.stop(), watch);
    const failures = single.result.requests - single.result.ok + batched.result.requests - batched.result.ok;
    const stored = n - failures; // a failed batch counts its 100; ingest failures should be 0 anyway
    o.log(`  ${stored.toLocaleString('en-US')} events stored; RSS while ingesting: peak ${mib(rssIngest.peakKiB)}, median ${mib(rssIngest.medianKiB)}${overlap(rssIngest)}`);

    // At rest with the backlog pending: what an idle gateway holds, then the /metrics readings.
    await sleep(1000);
    const pendingRss = sampleRss(gw);
    await sleep(3000);
    const { figures: metrics, queueDepth } = await metricsReadings(gw, 5);
    const rssPending = phase(pendingRss.stop(), watch);
    o.log(`  ${stored.toLocaleString('en-US')} pending: RSS median ${mib(rssPending.medianKiB)}, peak ${mib(rssPending.peakKiB)}${overlap(rssPending)}; /metrics: ${metrics.cpuMs.toFixed(2)} ms gateway CPU, ${metrics.wallMs.toFixed(1)} ms wall (median of ${metrics.readings})`);

    // Rows a paused destination's 429 pushed back an hour (the primer, and any claimed before the pause took hold).
    const pausedTotals = await sim.totals();
    watch.stop();
    await cluster.close();
    cluster = undefined;
    const diskBytes = dirBytes(dir);
    o.log(`  on disk after checkpoint: ${(diskBytes / 2 ** 20).toFixed(1)} MiB, ${Math.round(diskBytes / stored)} B/event (five destinations)`);

    // Drain: the three batch APIs open, Google and Klaviyo paused again (their first request meets a 429).
    const drainTo = BATCH_PLATFORMS;
    await sim.normal();
    await sim.clear();
    for (const p of platforms.filter((x) => !drainTo.includes(x))) await sim.behaviour({ platform: p, mode: 'rate_limit', retry_after_s: 3600 });
    cluster = await startCluster({ storageUrl, instances: 1, sim, platforms, dir });
    gw = cluster.gateways[0]!;
    watch = new SnapshotWatch(gw, Date.now(), 600_000);
    const drainStart = performance.now();
    const drainRss = sampleRss(gw);
    // Every pending delivery (Pinterest skips events it cannot match) but those pushed back an hour.
    const target = Object.fromEntries(drainTo.map((p) => [p, (queueDepth[p] ?? stored) - (pausedTotals[p]?.events_received ?? 0)]));
    const drained = await waitDrained(sim, drainTo, target, 120_000 + stored / 5);
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const rssDrain = phase(drainRss.stop(), watch);
    watch.stop();
    const totals = await sim.totals();
    const accepted = drainTo.reduce((s, p) => s + (totals[p]?.events_accepted ?? 0), 0);
    o.log(`  drain to ${drainTo.join(', ')}: ${accepted.toLocaleString('en-US')} deliveries in ${drainSeconds.toFixed(1)} s${drained ? '' : ' — INCOMPLETE'}; RSS median ${mib(rssDrain.medianKiB)}, peak ${mib(rssDrain.peakKiB)}${overlap(rssDrain)}`);
    await cluster.close();
    cluster = undefined;

    // The diagnostics snapshot, in a gateway doing nothing else.
    await sim.behaviour({ platform: 'all', mode: 'rate_limit', retry_after_s: 3600 });
    cluster = await startCluster({ storageUrl, instances: 1, sim, platforms, dir });
    gw = cluster.gateways[0]!;
    const started = Date.now();
    watch = new SnapshotWatch(gw, started, 60_000 + stored / 100);
    await sleep(FIRST_SNAPSHOT_MS - 1500);
    const snapRss = sampleRss(gw);
    const taken = await watch.done;
    const snapshotSeconds = (Date.now() - started - FIRST_SNAPSHOT_MS) / 1000;
    const rssSnapshot = phase(snapRss.stop(), watch, true);
    o.log(`  diagnostics snapshot${taken ? '' : ' NOT TAKEN'} in ${snapshotSeconds.toFixed(1)} s: RSS peak ${mib(rssSnapshot.peakKiB)}, median ${mib(rssSnapshot.medianKiB)}`);

    return {
      events: stored,
      single: { events: single.result.events, cpuUsPerEvent: single.cpuUsPerEvent, eventsPerSec: single.result.events / single.result.seconds, failures: single.result.requests - single.result.ok },
      batched: { events: batched.result.events, cpuUsPerEvent: batched.cpuUsPerEvent, eventsPerSec: batched.result.events / batched.result.seconds, failures: batched.result.requests - batched.result.ok },
      rss: { ingest: rssIngest, pending: rssPending, drain: rssDrain, snapshot: rssSnapshot },
      diskBytes,
      diskBytesPerEvent: diskBytes / stored,
      metrics,
      drain: { deliveriesPerSec: accepted / drainSeconds, drained, seconds: drainSeconds },
      snapshot: { taken, seconds: snapshotSeconds },
      loadStart,
      loadEnd: loadNow(),
    };
  } finally {
    watch?.stop();
    threads?.stop();
    await cluster?.close();
    await sim.normal();
    await sim.clear();
    removeDir(dir);
  }
}

const mib = (kib: number): string => `${Math.round(kib / 1024)} MiB`;
const leftOut = (ms: number): string => (ms > 0 ? ` (left out: ${Math.round(ms)} ms of the daily snapshot's thread)` : '');
const overlap = (p: PhaseMemory): string => (p.withSnapshotPeakKiB === undefined ? '' : ` (left out: ${mib(p.withSnapshotPeakKiB)} peak while the daily snapshot ran)`);
