import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'undici';
import { INGEST_KEY, spawnGateway, writeGatewayConfig, type DestinationName, type GatewayProcess } from './gateway.js';
import { ingestPool } from './load.js';
import type { SimClient } from './simulators.js';

// N gateway processes on one store (N = 1 for SQLite), with their destinations "paused" when asked: the
// simulators answer 429 with Retry-After: 3600 to one primer event, after which each gateway's worker leaves the
// destination alone for an hour, so an ingest figure is ingest alone and a backlog can be built up untouched.

export interface Cluster {
  dir: string;
  gateways: GatewayProcess[];
  pools: Pool[];
  configPath: string;
  close(): Promise<void>;
}

export interface ClusterOptions {
  storageUrl: (dir: string) => string;
  instances: number;
  sim: SimClient;
  platforms: readonly DestinationName[];
  /** Reuse a directory (restart on the same database). */
  dir?: string;
  logLevel?: string;
}

export function scratchDir(prefix = 'mk-bench-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const dir = o.dir ?? scratchDir();
  const configPath = writeGatewayConfig(dir, { storageUrl: o.storageUrl(dir), simUrl: o.sim.url, platforms: o.platforms });
  // Started one after the other: concurrent start-ups would race on migrations the first time (PostgreSQL takes
  // an advisory lock for that; the start-up figure is clearer sequentially anyway).
  const gateways: GatewayProcess[] = [];
  for (let i = 0; i < o.instances; i++) gateways.push(await spawnGateway({ configPath, ...(o.logLevel ? { logLevel: o.logLevel } : {}) }));
  const pools = gateways.map((g) => ingestPool({ url: g.url, connections: Math.ceil(128 / o.instances) }));
  return {
    dir,
    gateways,
    pools,
    configPath,
    async close() {
      await Promise.all(pools.map((p) => p.close()));
      await Promise.all(gateways.map((g) => g.stop()));
    },
  };
}

/** Pauses every destination of every gateway: a 429 (Retry-After 3600 s) to the first request each one makes. */
export async function pauseDestinations(cluster: Cluster, sim: SimClient, platforms: readonly DestinationName[], primerBody: (i: number) => string): Promise<void> {
  await sim.behaviour({ platform: 'all', mode: 'rate_limit', retry_after_s: 3600 });
  const before = await sim.totals();
  // At least one 429 per platform. The switch stays on, so any worker that claims later (another instance on a
  // shared PostgreSQL) meets its own 429 and pauses too; the rows those requests carried are pushed back an hour,
  // and a drain figure leaves them out (the simulators count them: events_received while paused).
  const want = (p: string): number => (before[p]?.rate_limited ?? 0) + 1;
  // One primer event per gateway, so that each one's worker is woken, claims, meets the 429 and pauses.
  for (const [i, pool] of cluster.pools.entries()) {
    const res = await pool.request({ method: 'POST', path: '/v1/events', headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' }, body: primerBody(i) });
    await res.body.dump();
    if (res.statusCode !== 202) throw new Error(`primer event answered ${res.statusCode}`);
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const totals = await sim.totals();
    if (platforms.every((p) => (totals[p]?.rate_limited ?? 0) >= want(p))) return;
    if (Date.now() > deadline) throw new Error(`destinations did not pause: ${JSON.stringify(Object.fromEntries(platforms.map((p) => [p, totals[p]?.rate_limited])))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function dirBytes(dir: string, match: RegExp = /\.db/): number {
  let total = 0;
  for (const f of readdirSync(dir)) if (match.test(f)) total += statSync(join(dir, f)).size;
  return total;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
