import type { HashedEvent } from '../../src/identity/types.js';
import type { DeliveryUpdate, NewDelivery, OrderRecord, OutboxStore } from '../../src/outbox/types.js';

// Records a small month of orders in a real store the way the gateway does (orders/paid → a purchase event with
// one delivery row per destination and the order record, in one ingest; refunds and cancellations as order
// records), then drives each delivery to a known status through claim/complete.

export const at = (iso: string) => Date.parse(iso);

function purchase(orderId: string, paidIso: string, total: number): HashedEvent {
  return {
    event_id: `order_${orderId}`,
    event_id_source: 'order',
    event_name: 'purchase',
    event_time: Math.floor(at(paidIso) / 1000),
    action_source: 'website',
    user: { em: ['a'.repeat(64)] },
    commerce: { value: total, currency: 'USD', order_id: orderId },
    consent: { marketing: true, limited_data_use: false },
    findings: [],
  };
}

type Target = 'delivered' | 'rejected' | 'dead' | 'pending' | 'retrying' | { skipped: string };

interface OrderSpec {
  id: string;
  paid: string;
  total: number;
  test?: boolean;
  /** Per platform (destination id = platform name): the status to leave its delivery in. No entry, no row. */
  meta?: Target;
  tiktok?: Target;
  /** Paid webhook stored without an event (so no delivery row exists). */
  noEvent?: boolean;
}

export async function recordMonth(store: OutboxStore, orders: OrderSpec[], extra: { refunds?: [string, string, number][]; cancels?: [string, string][] } = {}): Promise<void> {
  const targets = new Map<string, Target>();
  for (const o of orders) {
    const record: OrderRecord = { order_id: o.id, topic: 'orders/paid', name: `#${o.id}`, occurred_at: at(o.paid), total: o.total, currency: 'USD', test: o.test ?? false, financial_status: 'paid' };
    if (o.noEvent) {
      await store.recordOrder(record, { webhook_id: `paid-${o.id}` });
      continue;
    }
    const deliveries: NewDelivery[] = [];
    for (const platform of ['meta', 'tiktok'] as const) {
      const t = o[platform];
      if (t === undefined) continue;
      targets.set(`${platform}/order_${o.id}`, t);
      deliveries.push(typeof t === 'object' ? { destination_id: platform, platform, status: 'skipped', skip_reason: t.skipped } : { destination_id: platform, platform, status: 'pending' });
    }
    await store.ingest([{ event: purchase(o.id, o.paid, o.total), source: 'shopify', test: o.test ?? false, deliveries }], { webhook_id: `paid-${o.id}`, order: record });
  }
  for (const [id, when, amount] of extra.refunds ?? []) {
    await store.recordOrder({ order_id: id, topic: 'refunds/create', occurred_at: at(when), refunded_amount: amount }, { webhook_id: `refund-${id}-${when}` });
  }
  for (const [id, when] of extra.cancels ?? []) {
    await store.recordOrder({ order_id: id, topic: 'orders/cancelled', occurred_at: at(when) }, { webhook_id: `cancel-${id}` });
  }

  const now = Date.now();
  for (const platform of ['meta', 'tiktok']) {
    const claimed = await store.claim(platform, 1000, now + 1000, 60_000);
    const updates: DeliveryUpdate[] = [];
    const attempt = { at: now, latency_ms: 12, outcome: 'x' };
    const toRelease: number[] = [];
    for (const c of claimed) {
      const t = targets.get(`${platform}/${c.event.event_id}`);
      if (t === 'delivered') updates.push({ delivery_id: c.delivery_id, status: 'delivered', attempt });
      else if (t === 'rejected') updates.push({ delivery_id: c.delivery_id, status: 'rejected', attempt, error_code: '40002', error_message: 'Invalid value for field: event_time' });
      else if (t === 'dead') updates.push({ delivery_id: c.delivery_id, status: 'dead', attempt, error_code: 'timeout', error_message: 'no answer within 10000 ms' });
      else if (t === 'retrying') updates.push({ delivery_id: c.delivery_id, status: 'pending', next_attempt_at: now + 3_600_000, attempt, error_code: 'http_503', error_message: 'service unavailable' });
      else toRelease.push(c.delivery_id);
    }
    await store.complete(updates);
    await store.release(toRelease);
  }
}

// March 2025 in a real SQLite store, as of 15 April. By hand:
//   kept: 101 (100), 102 (60, refund 20 → partial), 106 (80, consent denied), 107 (25), 109 (45, paid webhook
//   with no event) → 5 orders, 310.00 USD, refunded 20.00.
//   left out: 105 test, 104 cancelled, 103 refunded in full (40 of 40); 108 paid 2 April is outside.
//   meta rows: 101 ✓, 102 ✓, 103 ✓ (not of record), 104 pending, 105 skipped test, 106 skipped consent, 107 dead
//     → sent 5 (101,102,103,104,107), accepted 3, dead 1, pending 1, skipped 2, not received 1 (109),
//       accepted_share 2/5 = 0.4, never accepted: 106, 107, 109.
//   tiktok rows: 101 rejected, 102 ✓, 105 skipped test, 106 skipped consent, 107 retrying
//     → sent 3, accepted 1, rejected 1, pending 1, skipped 2, not received 1, accepted_share 1/5 = 0.2,
//       never accepted: 101, 106, 107, 109.
export async function seedMarch(store: OutboxStore): Promise<void> {
  await recordMonth(
    store,
    [
      { id: '101', paid: '2025-03-02T10:00:00Z', total: 100, meta: 'delivered', tiktok: 'rejected' },
      { id: '102', paid: '2025-03-05T10:00:00Z', total: 60, meta: 'delivered', tiktok: 'delivered' },
      { id: '103', paid: '2025-03-06T10:00:00Z', total: 40, meta: 'delivered' },
      { id: '104', paid: '2025-03-07T10:00:00Z', total: 30, meta: 'pending' },
      { id: '105', paid: '2025-03-10T10:00:00Z', total: 50, test: true, meta: { skipped: 'test' }, tiktok: { skipped: 'test' } },
      { id: '106', paid: '2025-03-12T10:00:00Z', total: 80, meta: { skipped: 'consent' }, tiktok: { skipped: 'consent' } },
      { id: '107', paid: '2025-03-20T10:00:00Z', total: 25, meta: 'dead', tiktok: 'retrying' },
      { id: '108', paid: '2025-04-02T10:00:00Z', total: 10, meta: 'delivered' },
      { id: '109', paid: '2025-03-15T10:00:00Z', total: 45, noEvent: true },
    ],
    {
      refunds: [
        ['102', '2025-03-09T10:00:00Z', 20],
        ['103', '2025-03-08T10:00:00Z', 15],
        ['103', '2025-03-09T10:00:00Z', 25],
      ],
      cancels: [['104', '2025-03-08T10:00:00Z']],
    },
  );
}
