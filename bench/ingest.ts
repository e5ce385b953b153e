import { EventBodies } from './lib/bodies.js';
import { pauseDestinations, removeDir, startCluster } from './lib/cluster.js';
import { ALL_PLATFORMS } from './lib/gateway.js';
import { closedLoop, openLoop, type LoadResult } from './lib/load.js';
import type { SimClient } from './lib/simulators.js';
import { summarize, type LatencySummary } from './lib/stats.js';

// Ingest through a real `matchkey serve` process on SQLite (synchronous = FULL: every 202 is fsynced), with the
// five destinations of the demo configured (five delivery rows per event, Klaviyo's sealed) and paused, so the
// figure is ingest alone. Throughput in closed loop; latency at fixed offered loads in open loop (docs/BENCHMARKS.md).

export interface IngestRun {
  label: string;
  eventsPerSec: number;
  requestsPerSec: number;
  latency: LatencySummary;
  /** Non-2xx answers and transport errors (should be 0). */
  failures: number;
}

export interface IngestFigures {
  single: IngestRun;
  batched: IngestRun;
  openLoop: (IngestRun & { offeredPerSec: number })[];
  rssAfterKiB: number;
}

function asRun(label: string, r: LoadResult): IngestRun {
  return {
    label,
    eventsPerSec: r.events / r.seconds,
    requestsPerSec: r.requests / r.seconds,
    latency: summarize(r.latenciesMs),
    failures: r.requests - r.ok,
  };
}

export async function runIngest(sim: SimClient, o: { quick: boolean; log: (line: string) => void }): Promise<IngestFigures> {
  const bodies = new EventBodies(`ing${Date.now().toString(36)}`);
  let n = 0;
  const cluster = await startCluster({ storageUrl: (dir) => `sqlite:${dir}/matchkey.db`, instances: 1, sim, platforms: ALL_PLATFORMS });
  try {
    await pauseDestinations(cluster, sim, ALL_PLATFORMS, () => bodies.one(n++));
    const pools = cluster.pools;
    // Warm-up: JIT, connection set-up, the first WAL growth.
    await closedLoop(pools, { concurrency: 32, requests: o.quick ? 1000 : 5000, eventsPerRequest: 1, body: () => bodies.one(n++) });

    const singleRequests = o.quick ? 10_000 : 60_000;
    const single = asRun('single-event POSTs, 64 concurrent', await closedLoop(pools, { concurrency: 64, requests: singleRequests, eventsPerRequest: 1, body: () => bodies.one(n++) }));
    o.log(`  ${single.label}: ${Math.round(single.eventsPerSec)} events/s, p99 ${single.latency.p99.toFixed(1)} ms`);

    const batchRequests = o.quick ? 200 : 2500;
    const batched = asRun('batches of 100, 8 concurrent', await closedLoop(pools, {
      concurrency: 8,
      requests: batchRequests,
      eventsPerRequest: 100,
      body: () => {
        const body = bodies.batch(n, 100);
        n += 100;
        return body;
      },
    }));
    o.log(`  ${batched.label}: ${Math.round(batched.eventsPerSec)} events/s, p99 ${batched.latency.p99.toFixed(1)} ms`);

    const openRuns: IngestFigures['openLoop'] = [];
    for (const rate of [1000, 5000, 10_000]) {
      const r = await openLoop(pools, { ratePerSec: rate, seconds: o.quick ? 3 : 10, eventsPerRequest: 1, body: () => bodies.one(n++) });
      const run = { ...asRun(`open loop, ${rate}/s single events`, r), offeredPerSec: rate };
      openRuns.push(run);
      o.log(`  ${run.label}: p50 ${run.latency.p50.toFixed(1)} ms, p99 ${run.latency.p99.toFixed(1)} ms, max ${run.latency.max.toFixed(1)} ms, failures ${run.failures}`);
    }
    const rssAfterKiB = cluster.gateways[0]!.memory().rssKiB;
    return { single, batched, openLoop: openRuns, rssAfterKiB };
  } finally {
    await cluster.close();
    await sim.normal();
    await sim.clear();
    removeDir(cluster.dir);
  }
}
