// One evaluation of the `delivered_share` alert rule at scale, as the gateway runs it every alerts.interval_s:
//   npx tsx bench/micro/alert-share.ts build <file> [orders]   stores the orders once (SQLite file), then
//   node --expose-gc --import tsx bench/micro/alert-share.ts eval <file> [runs]
// prints, per evaluation, its wall time, the process CPU, the heap it left allocated (before any collection) and
// the process's peak RSS above what it held before the first one, and the time of each of its store reads (the
// count, the sampled order read, the delivery rows). Each order is paid in the last day, stored as the Shopify
// webhook stores it (its orders/paid record and its purchase event, a realistic ~1,900-byte body from
// bench/fixtures.ts), with three destinations: Meta delivered (97%), TikTok pending, Google skipped for consent on
// 1%. Run `eval` in a fresh process per figure: the peak RSS is the process's own.
import { mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { alertsSchema } from '../../src/alerts/config.js';
import { evaluateRules } from '../../src/alerts/conditions.js';
import { parseCanonicalEvent } from '../../src/event/parse.js';
import { hashOnce } from '../../src/identity/hash-once.js';
import { openStore } from '../../src/outbox/open.js';
import type { HashedEvent } from '../../src/identity/types.js';
import type { IngestItem, OrderRecord } from '../../src/outbox/types.js';
import { purchaseEvent, seededRandom } from '../fixtures.js';

const [mode, file, arg] = process.argv.slice(2);
if ((mode !== 'build' && mode !== 'eval') || !file) {
  console.error('usage: alert-share.ts build <file> [orders] | eval <file> [runs]');
  process.exit(2);
}
const HOUR = 3_600_000;
const SETTLE_MS = 30 * 60_000;

if (mode === 'build') {
  const total = Number(arg ?? 200_000);
  mkdirSync(dirname(file), { recursive: true });
  const now = Date.now();
  const rnd = seededRandom(7);
  const template = hashOnce(parseCanonicalEvent(purchaseEvent(1, rnd, Math.floor(now / 1000))));
  const store = await openStore(`sqlite:${file}?synchronous=normal`);
  const t0 = Date.now();
  // A build cut short after its ingest goes on with the deliveries.
  const stored = await store.countEvents({ from: 0, to: Number.MAX_SAFE_INTEGER });
  for (let start = stored > 0 ? total : 0; start < total; start += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, total - start) }, (_, k) => {
        const i = start + k;
        const id = String(5_000_000 + i);
        const paidAt = now - SETTLE_MS - Math.floor(((i + 0.5) / total) * 24 * HOUR);
        const event: HashedEvent = { ...template, event_id: `order_${id}`, event_time: Math.floor(paidAt / 1000), commerce: { ...template.commerce!, order_id: id } };
        const item: IngestItem = {
          event,
          source: 'shopify',
          test: false,
          deliveries: [
            { destination_id: 'meta', platform: 'meta', status: 'pending' },
            { destination_id: 'tiktok', platform: 'tiktok', status: 'pending' },
            i % 100 === 0 ? { destination_id: 'google', platform: 'google', status: 'skipped', skip_reason: 'consent' } : { destination_id: 'google', platform: 'google', status: 'pending' },
          ],
        };
        const order: OrderRecord = { order_id: id, topic: 'orders/paid', name: `#${id}`, occurred_at: paidAt, total: 59.9, currency: 'EUR', test: false, financial_status: 'paid' };
        return store.ingest([item], { webhook_id: `w${id}`, order });
      }),
    );
  }
  // 2% refunded in full, 1% cancelled: the rule leaves them out.
  if (stored === 0) for (let i = 0; i < total; i += 50) await store.recordOrder({ order_id: String(5_000_000 + i), topic: 'refunds/create', occurred_at: now - SETTLE_MS, refunded_amount: 59.9 });
  if (stored === 0) for (let i = 1; i < total; i += 100) await store.recordOrder({ order_id: String(5_000_000 + i), topic: 'orders/cancelled', occurred_at: now - SETTLE_MS, financial_status: 'voided' });
  // Meta accepted 97% of them; the other 3% stay leased (pending, not due) for the rest of the day.
  let delivered = 0;
  for (;;) {
    const claimed = await store.claim('meta', 2000, Date.now(), 24 * HOUR);
    if (claimed.length === 0) break;
    const keep = claimed.filter((c) => Number(c.event.commerce?.order_id) % 100 >= 3);
    delivered += keep.length;
    await store.complete(keep.map((c) => ({ delivery_id: c.delivery_id, status: 'delivered' as const, attempt: { at: Date.now(), latency_ms: 5, outcome: 'delivered' } })));
  }
  await store.close();
  console.log(`${total} orders stored in ${((Date.now() - t0) / 1000).toFixed(1)} s (${delivered} delivered to meta)`);
} else {
  const runs = Number(arg ?? 3);
  const gc = (globalThis as { gc?: () => void }).gc;
  // The evaluation's clock: the day of orders just settled, however long after the build it runs.
  const probe = new Database(file, { readonly: true });
  const last = (probe.prepare('SELECT max(occurred_at) AS t FROM orders').get() as { t: number }).t;
  probe.close();
  const now = last + SETTLE_MS + 1;
  const store = await openStore(`sqlite:${file}`);
  const rules = alertsSchema.parse({ rules: { destination_paused: false, delivered_share: { below_percent: 99 } } }).rules;
  const destinations = [
    { id: 'meta', platform: 'meta' as const },
    { id: 'tiktok', platform: 'tiktok' as const },
    { id: 'google', platform: 'google' as const },
  ];
  // Each store read of the rule timed on its own: better-sqlite3 runs a statement on the calling thread, so the
  // count's and the order read's wall times are the main thread's (the event loop's) stall for each.
  const spent = new Map<string, number>();
  const timed = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ['countPaidOrders', 'listOrders', 'purchaseDeliveryOutcomes']) {
    const read = timed[name]!.bind(store);
    timed[name] = async (...args) => {
      const t = performance.now();
      try {
        return await read(...args);
      } finally {
        spent.set(name, (spent.get(name) ?? 0) + performance.now() - t);
      }
    };
  }
  const rssStart = process.memoryUsage().rss;
  for (let r = 0; r < runs; r++) {
    spent.clear();
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await evaluateRules({ rules, store, health: () => [], destinations, now, startedAt: 0 });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const heap = process.memoryUsage().heapUsed - heap0;
    // The process's peak so far (ru_maxrss): the first evaluation's own peak, later ones' only if they went higher.
    const peak = process.resourceUsage().maxRSS * 1024 - rssStart;
    console.log(
      `run ${r + 1}: ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, heap +${(heap / 2 ** 20).toFixed(1)} MiB, ` +
        `peak RSS +${(peak / 2 ** 20).toFixed(0)} MiB (load ${loadavg().map((x) => x.toFixed(2)).join(' ')})`,
    );
    const read = (name: string): string => `${(spent.get(name) ?? 0).toFixed(1)} ms`;
    console.log(`  countPaidOrders ${read('countPaidOrders')}, listOrders ${read('listOrders')}, purchaseDeliveryOutcomes ${read('purchaseDeliveryOutcomes')}`);
    for (const f of result.firing) console.log(`  ${f.subject}: ${f.message}`);
  }
  await store.close();
}
