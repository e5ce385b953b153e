// The store's claim cost per delivery row as the delivery workers see it: `npx tsx bench/micro/store-claim.ts [events]`.
// Realistic purchases (bench/fixtures.ts) for the five destinations of the ingest benchmark are stored (SQLite file,
// writer thread), then claimed the way five workers claim them, destination after destination in batches of 500
// over the same events, and completed as delivered. Prints the process CPU (all threads) per claimed row, for
// claim and complete apart.
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

const total = Number(process.argv[2] ?? 50_000);
const settings = destinations('http://127.0.0.1:1', ALL_PLATFORMS).map((d) => PLATFORMS[d.platform as DestinationName].settingsSchema.parse(d) as CommonSettings);
const rnd = seededRandom(3);
const nowS = Math.floor(Date.now() / 1000);
const items: IngestItem[] = Array.from({ length: total }, (_, i) => {
  const raw = purchaseEvent(i, rnd, nowS) as { commerce: { order_id: string } };
  raw.commerce.order_id = `c${i}`;
  const hashed = hashOnce(parseCanonicalEvent(raw), { includeContact: true });
  return { event: hashed, source: 'api', test: false, deliveries: planDeliveries(hashed, settings, { test: false, source: 'api' }) };
});
const dir = mkdtempSync(join(tmpdir(), 'mk-micro-claim-'));
const store = await openStore(`sqlite:${join(dir, 'bench.db')}`, { secretKey: randomBytes(32) });
for (let i = 0; i < total; i += 500) await store.ingest(items.slice(i, i + 500));
const dests = [...new Set(items[0]!.deliveries.filter((d) => d.status === 'pending').map((d) => d.destination_id))];
const cpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
let claimUs = 0;
let completeUs = 0;
let rows = 0;
for (let more = true; more; ) {
  more = false;
  for (const destination of dests) {
    const now = Date.now();
    let t = cpu();
    const claimed = await store.claim(destination, 500, now, 60_000);
    claimUs += cpu() - t;
    if (claimed.length === 0) continue;
    more = true;
    rows += claimed.length;
    t = cpu();
    await store.complete(claimed.map((c) => ({ delivery_id: c.delivery_id, status: 'delivered' as const, attempt: { at: now, latency_ms: 5, http_status: 200, outcome: 'delivered' } })));
    completeUs += cpu() - t;
  }
}
console.log(`claim ${(claimUs / rows).toFixed(1)} µs/row, complete ${(completeUs / rows).toFixed(1)} µs/row (process CPU, all threads; ${rows} rows; load ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
await store.close();
rmSync(dir, { recursive: true, force: true });
