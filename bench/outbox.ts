// Outbox throughput and ack latency on a real SQLite file (synchronous=FULL unless OUTBOX_SYNC=normal).
// `npx tsx bench/outbox.ts`. Store-only: the HTTP layer's own cost is measured by the server benchmark.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/outbox/open.js';
import type { IngestItem } from '../src/outbox/types.js';
import { percentile } from './lib/stats.js';
import { storeBenchItem } from './lib/store-item.js';
import type { SqliteOutboxStore } from '../src/outbox/sqlite/store.js';

const sync = process.env.OUTBOX_SYNC === 'normal' ? 'normal' : 'full';
const dir = mkdtempSync(join(tmpdir(), 'mk-bench-outbox-'));
const store = (await openStore(`sqlite:${join(dir, 'bench.db')}?synchronous=${sync}`, { secretKey: randomBytes(32) })) as SqliteOutboxStore;

let seq = 0;
const item = (): IngestItem => storeBenchItem(seq++);

async function closedLoop(label: string, lanes: number, perCall: number, totalEvents: number): Promise<void> {
  const before = { ...store.writeStats };
  const latencies: number[] = [];
  let sent = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (sent < totalEvents) {
        sent += perCall;
        const items = Array.from({ length: perCall }, item);
        const s = performance.now();
        await store.ingest(items);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const commits = store.writeStats.commits - before.commits;
  console.log(
    `${label}: ${Math.round(sent / secs)} events/s, ${Math.round(sent / perCall / secs)} calls/s, ` +
      `${commits} commits (${((sent / perCall) / commits).toFixed(1)} calls/commit), p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
  );
}

async function openLoop(ratePerSec: number, seconds: number): Promise<void> {
  const latencies: number[] = [];
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  const total = ratePerSec * seconds;
  let issued = 0;
  // Each 1 ms tick issues what the schedule owes, as single-event calls; latency counts from the scheduled time.
  while (issued < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - t0) / 1000) * ratePerSec));
    for (; issued < due; issued++) {
      const scheduled = t0 + (issued / ratePerSec) * 1000;
      inflight.push(store.ingest([item()]).then(() => void latencies.push(performance.now() - scheduled)));
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  console.log(`open loop ${ratePerSec}/s single events for ${seconds}s: p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`);
}

async function drain(destination: string, batch: number): Promise<void> {
  const t0 = performance.now();
  let n = 0;
  for (;;) {
    const now = Date.now();
    const claimed = await store.claim(destination, batch, now, 60_000);
    if (claimed.length === 0) break;
    n += claimed.length;
    await store.complete(claimed.map((c) => ({ delivery_id: c.delivery_id, status: 'delivered' as const, attempt: { at: now, latency_ms: 5, http_status: 200, outcome: 'delivered' } })));
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`claim+complete ${destination} in batches of ${batch}: ${Math.round(n / secs)} deliveries/s (${n} rows)`);
}

console.log(`synchronous=${sync}, 3 delivery rows per event (one sealed)`);
await closedLoop('single-event calls, 256 concurrent', 256, 1, 60_000);
await closedLoop('batches of 100, 8 concurrent', 8, 100, 200_000);
await openLoop(5000, 5);
await drain('meta', 1000);
await drain('klaviyo', 1000);
const t = performance.now();
await store.counts(Date.now());
console.log(`counts() over ${seq * 3} delivery rows: ${(performance.now() - t).toFixed(1)} ms`);
await store.close();
rmSync(dir, { recursive: true, force: true });
