import { EventBodies } from './lib/bodies.js';
import { dirBytes, pauseDestinations, removeDir, scratchDir, startCluster, type Cluster } from './lib/cluster.js';
import { BATCH_PLATFORMS, type DestinationName, type GatewayProcess } from './lib/gateway.js';
import { closedLoop } from './lib/load.js';
import type { SimClient } from './lib/simulators.js';
import { percentile } from './lib/stats.js';

// A backlog of N events, built and then drained by real gateway processes: N events ingested in batches of 100
// with the destinations paused (memory with N pending), then the gateways restarted with the destinations open
// and timed until the simulators have accepted every event on every destination. Meta, TikTok and Pinterest:
// the three batch APIs (1,000 events per request); Klaviyo takes one event per request at ~55 requests/s and
// Google's quota is per developer token, so a drain through them measures their rate limits, not the gateway.
// Memory is read per phase, each from its own processes: the ingest gateways' high-water mark before they stop,
// the drain gateways' (fresh processes) once drained, plus the drain's median RSS sampled every 250 ms. A phase
// longer than a minute includes the gateway's first daily diagnostics snapshot (src/server/run.ts: 60 s after
// start, at most 5,000 of the day's events sampled by event_id and diagnosed in a worker thread, ~+70 MiB at 1M
// events; ~+700 MiB when it read the day's first 100,000 whole): when it falls inside the drain it can set the
// drain's peak, so the median is what shows the drain's own working set.

export interface BacklogFigures {
  store: string;
  instances: number;
  events: number;
  ingestEventsPerSec: number;
  ingestFailures: number;
  /** Peak RSS of the ingest gateways, start-up to the end of ingest (sum over instances' high-water marks). */
  rssIngestPeakKiB: number;
  /** Gateway RSS with the whole backlog pending (sum over instances). */
  rssPendingKiB: number;
  /** Peak RSS of the restarted gateways, start-up to drained (sum over instances' high-water marks). */
  rssDrainPeakKiB: number;
  /** Median over the drain of the gateways' RSS (summed over instances), sampled every 250 ms. */
  rssDrainMedianKiB: number;
  /** SQLite files (0 for PostgreSQL). */
  diskBytes: number;
  restartMs: number;
  /** Deliveries (event × destination) accepted per second, first request to last. */
  drainDeliveriesPerSec: number;
  /** Events fully delivered (every destination) per second. */
  drainEventsPerSec: number;
  drained: boolean;
  pushedBack: number;
}

export interface BacklogOptions {
  sim: SimClient;
  events: number;
  instances: number;
  storage: 'sqlite' | { postgresUrl: string };
  platforms?: readonly DestinationName[];
  log: (line: string) => void;
}

/** Samples the gateways' summed RSS every `everyMs` until stopped; returns the samples (KiB). */
export function sampleRss(gateways: readonly GatewayProcess[], everyMs = 250): { stop(): number[] } {
  const samples: number[] = [];
  const take = (): void => {
    const kib = gateways.reduce((s, g) => s + g.memory().rssKiB, 0);
    if (Number.isFinite(kib)) samples.push(kib);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** Until the simulators accepted `target[p]` events on every platform p (false at the deadline). */
export async function waitDrained(sim: SimClient, platforms: readonly DestinationName[], target: Record<string, number>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const totals = await sim.totals();
    if (platforms.every((p) => (totals[p]?.events_accepted ?? 0) >= target[p]!)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function runBacklog(o: BacklogOptions): Promise<BacklogFigures> {
  const platforms = o.platforms ?? BATCH_PLATFORMS;
  const { sim } = o;
  const bodies = new EventBodies(`bl${Date.now().toString(36)}`);
  const storageUrl = (dir: string): string => (o.storage === 'sqlite' ? `sqlite:${dir}/matchkey.db` : o.storage.postgresUrl);
  const dir = scratchDir();
  let cluster: Cluster | undefined;
  let n = 0;
  try {
    await sim.normal();
    await sim.clear();
    cluster = await startCluster({ storageUrl, instances: o.instances, sim, platforms, dir });
    await pauseDestinations(cluster, sim, platforms, () => bodies.one(n++));
    const primers = n;
    const requests = Math.ceil(o.events / 100);
    const ingest = await closedLoop(cluster.pools, {
      concurrency: 8,
      requests,
      eventsPerRequest: 100,
      body: () => {
        const body = bodies.batch(n, 100);
        n += 100;
        return body;
      },
    });
    const ingested = primers + ingest.ok * 100;
    // Read now: these processes are stopped before the drain, and VmHWM is a per-process lifetime mark.
    const rssIngestPeakKiB = cluster.gateways.reduce((s, g) => s + g.memory().hwmKiB, 0);
    await new Promise((r) => setTimeout(r, 1000));
    const rssPendingKiB = cluster.gateways.reduce((s, g) => s + g.memory().rssKiB, 0);
    const pausedTotals = await sim.totals();
    const pushed = Object.fromEntries(platforms.map((p) => [p, pausedTotals[p]?.events_received ?? 0]));
    o.log(`  ${o.events} events ingested at ${Math.round(ingest.events / ingest.seconds)} events/s; peak RSS while ingesting ${Math.round(rssIngestPeakKiB / 1024)} MiB, with them pending ${Math.round(rssPendingKiB / 1024)} MiB`);

    await cluster.close();
    const diskBytes = o.storage === 'sqlite' ? dirBytes(dir) : 0;
    await sim.normal();
    await sim.clear();
    const t0 = performance.now();
    cluster = await startCluster({ storageUrl, instances: o.instances, sim, platforms, dir });
    const restartMs = performance.now() - t0;
    const target = Object.fromEntries(platforms.map((p) => [p, ingested - pushed[p]!]));
    const drainRss = sampleRss(cluster.gateways);
    // Generous: a stalled drain is reported as such, never waited on forever.
    const drained = await waitDrained(sim, platforms, target, 120_000 + (o.events * platforms.length) / 2);
    const rssDrainPeakKiB = cluster.gateways.reduce((s, g) => s + g.memory().hwmKiB, 0);
    const rssDrainMedianKiB = percentile(drainRss.stop().sort((a, b) => a - b), 50);
    let first = Infinity;
    let last = 0;
    for (const p of platforms) {
      const t = await sim.timeline(p);
      if (t.request_times_ms.length === 0) continue;
      first = Math.min(first, t.request_times_ms[0]!);
      last = Math.max(last, t.request_times_ms.at(-1)!);
    }
    const totals = await sim.totals();
    const accepted = platforms.reduce((s, p) => s + (totals[p]?.events_accepted ?? 0), 0);
    const seconds = Math.max(0.001, (last - first) / 1000);
    const figures: BacklogFigures = {
      store: o.storage === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      instances: o.instances,
      events: o.events,
      ingestEventsPerSec: ingest.events / ingest.seconds,
      ingestFailures: ingest.requests - ingest.ok,
      rssIngestPeakKiB,
      rssPendingKiB,
      rssDrainPeakKiB,
      rssDrainMedianKiB,
      diskBytes,
      restartMs,
      drainDeliveriesPerSec: accepted / seconds,
      drainEventsPerSec: accepted / platforms.length / seconds,
      drained,
      pushedBack: Math.max(...Object.values(pushed)),
    };
    o.log(
      `  drained ${accepted} deliveries in ${seconds.toFixed(1)} s: ${Math.round(figures.drainDeliveriesPerSec)} deliveries/s (${Math.round(figures.drainEventsPerSec)} events/s to all ${platforms.length})${drained ? '' : ' — INCOMPLETE'}; RSS while draining: median ${Math.round(rssDrainMedianKiB / 1024)} MiB, peak ${Math.round(rssDrainPeakKiB / 1024)} MiB`,
    );
    return figures;
  } finally {
    await cluster?.close();
    await sim.normal();
    await sim.clear();
    removeDir(dir);
  }
}
