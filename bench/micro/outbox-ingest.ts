// Store-only ingest cost with the gateway's real rows: `npx tsx bench/micro/outbox-ingest.ts [perCall] [lanes]`.
// Realistic purchases (bench/fixtures.ts) parsed, hashed once and planned for the five destinations of the ingest
// benchmark (five delivery rows per event, Klaviyo's sealed), then stored with SQLite synchronous=FULL. Prints
// events/s and the main thread's CPU µs per event, so a change to the insert path can be judged on its own.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { planDeliveries } from '../../src/delivery/plan.js';
import { parseCanonicalEvent } from '../../src/event/parse.js';
import { hashOnce } from '../../src/identity/hash-once.js';
import { openStore } from '../../src/outbox/open.js';
import type { IngestItem } from '../../src/outbox/types.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import type { CommonSettings } from '../../src/platforms/types.js';
import { purchaseEvent, seededRandom } from '../fixtures.js';
import { ALL_PLATFORMS, destinations, type DestinationName } from '../lib/gateway.js';

const perCall = Number(process.argv[2] ?? 100);
const lanes = Number(process.argv[3] ?? 8);
const total = Number(process.argv[4] ?? 100_000);
const settings = destinations('http://127.0.0.1:1', ALL_PLATFORMS).map((d) => PLATFORMS[d.platform as DestinationName].settingsSchema.parse(d) as CommonSettings);
const rnd = seededRandom(3);
const now = Math.floor(Date.now() / 1000);
const items: IngestItem[] = Array.from({ length: total }, (_, i) => {
  const raw = purchaseEvent(i, rnd, now) as { commerce: { order_id: string } };
  raw.commerce.order_id = `m${i}`;
  const hashed = hashOnce(parseCanonicalEvent(raw), { includeContact: true });
  return { event: hashed, source: 'api', test: false, deliveries: planDeliveries(hashed, settings, { test: false, source: 'api' }) };
});

const dir = mkdtempSync(join(tmpdir(), 'mk-micro-outbox-'));
const store = await openStore(`sqlite:${join(dir, 'bench.db')}`, { secretKey: randomBytes(32) });
let next = 0;
const run = async (count: number): Promise<{ eventsPerSec: number; cpuUs: number }> => {
  const end = next + count;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < end) {
        const from = next;
        next += perCall;
        await store.ingest(items.slice(from, Math.min(from + perCall, end)));
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { eventsPerSec: count / secs, cpuUs: (cpu.user + cpu.system) / count };
};
await run(Math.min(10_000, total / 5));
const before = { ...(store as unknown as { writeStats: { commits: number; operations: number } }).writeStats };
const r = await run(total - next);
const after = (store as unknown as { writeStats: { commits: number; operations: number } }).writeStats;
console.log(`store ingest, ${perCall}/call × ${lanes} lanes: ${Math.round(r.eventsPerSec)} events/s, ${r.cpuUs.toFixed(1)} µs CPU/event, ${((after.operations - before.operations) / (after.commits - before.commits)).toFixed(1)} calls/commit (load ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
await store.close();
rmSync(dir, { recursive: true, force: true });
