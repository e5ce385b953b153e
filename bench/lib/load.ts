import { Pool } from 'undici';
import { INGEST_KEY } from './gateway.js';

// Load generators against POST /v1/events. Closed loop: `concurrency` callers, each sending its next request
// when the previous one is answered (throughput). Open loop: requests issued on a fixed schedule whatever the
// answers (latency at an offered load); a request's latency counts from when it was SCHEDULED, so a stalled
// gateway shows up in the percentiles instead of silently slowing the generator (coordinated omission).

export interface LoadResult {
  requests: number;
  events: number;
  /** Requests answered 2xx. */
  ok: number;
  statuses: Record<string, number>;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

export interface Target {
  url: string;
  path?: string;
  connections?: number;
}

const HEADERS = { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' };

export function ingestPool(t: Target): Pool {
  return new Pool(t.url, { connections: t.connections ?? 128, pipelining: 1, keepAliveTimeout: 30_000 });
}

async function post(pool: Pool, path: string, body: string, r: LoadResult): Promise<void> {
  try {
    const res = await pool.request({ method: 'POST', path, headers: HEADERS, body });
    await res.body.dump();
    r.statuses[res.statusCode] = (r.statuses[res.statusCode] ?? 0) + 1;
    if (res.statusCode >= 200 && res.statusCode < 300) r.ok++;
  } catch {
    r.errors++;
  }
}

function emptyResult(): LoadResult {
  return { requests: 0, events: 0, ok: 0, statuses: {}, errors: 0, seconds: 0, latenciesMs: [] };
}

export async function closedLoop(
  pools: Pool[],
  o: { concurrency: number; requests: number; eventsPerRequest: number; body: (request: number) => string; path?: string },
): Promise<LoadResult> {
  const r = emptyResult();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async (_, lane) => {
      const pool = pools[lane % pools.length]!;
      while (next < o.requests) {
        const i = next++;
        const body = o.body(i);
        const s = performance.now();
        await post(pool, o.path ?? '/v1/events', body, r);
        r.latenciesMs.push(performance.now() - s);
      }
    }),
  );
  r.seconds = (performance.now() - t0) / 1000;
  r.requests = o.requests;
  r.events = o.requests * o.eventsPerRequest;
  return r;
}

export async function openLoop(
  pools: Pool[],
  o: { ratePerSec: number; seconds: number; eventsPerRequest: number; body: (request: number) => string; path?: string },
): Promise<LoadResult> {
  const r = emptyResult();
  const total = Math.round(o.ratePerSec * o.seconds);
  const inflight = new Set<Promise<void>>();
  const t0 = performance.now();
  let issued = 0;
  while (issued < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * o.ratePerSec) + 1);
    for (; issued < due; issued++) {
      const scheduled = t0 + (issued / o.ratePerSec) * 1000;
      const p: Promise<void> = post(pools[issued % pools.length]!, o.path ?? '/v1/events', o.body(issued), r).then(() => {
        r.latenciesMs.push(performance.now() - scheduled);
        inflight.delete(p);
      });
      inflight.add(p);
    }
    // A 1 ms timer, not setImmediate: a spinning generator would take the core the gateway needs on a 2-core box
    // (the cost is bursts of ~10 requests per millisecond at 10,000/s).
    await new Promise((res) => setTimeout(res, 1));
    if (inflight.size > 20_000) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  r.seconds = (performance.now() - t0) / 1000;
  r.requests = total;
  r.events = total * o.eventsPerRequest;
  return r;
}
