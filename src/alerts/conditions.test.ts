import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationHealth } from '../delivery/worker.js';
import type { PlatformName } from '../event/names.js';
import { hashedEvent } from '../outbox/contract.js';
import { openStore } from '../outbox/open.js';
import type { NewDelivery, OutboxStore } from '../outbox/types.js';
import { eventIdOfOrder } from '../reconcile/delivery.js';
import { ordersFromRecords } from '../reconcile/orders/internal.js';
import { alertsSchema } from './config.js';
import { evaluateRules, MAX_ALERT_ORDERS, type EvaluationInput } from './conditions.js';

// The rules against a real SQLite outbox: dead letters counted from stored rows, silent sources from stored events,
// and the worker's view of a paused destination (unknown after a start = no verdict).

const HOUR = 3_600_000;
let store: OutboxStore;

beforeEach(async () => {
  store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'mk-alert-rules-')), 'matchkey.db')}`);
  await store.migrate();
});
afterEach(async () => store.close());

function input(rules: unknown, over: Partial<EvaluationInput> = {}): EvaluationInput {
  const now = Date.now();
  return {
    rules: alertsSchema.parse({ rules }).rules,
    store,
    health: () => [],
    destinations: [{ id: 'meta', platform: 'meta' }],
    now,
    startedAt: now - 48 * HOUR,
    ...over,
  };
}

describe('alert rules', () => {
  it('dead letters: fires above the threshold, with the counts', async () => {
    await store.ingest(['a', 'b'].map((id) => ({ event: hashedEvent({ event_id: id }), source: 'api' as const, test: false, deliveries: [{ destination_id: 'meta', platform: 'meta' as const, status: 'pending' as const }] })));
    const rows = await store.claim('meta', 10, Date.now(), 60_000);
    await store.complete([
      { delivery_id: rows[0]!.delivery_id, status: 'dead', error_code: 'timeout', error_message: 'no answer' },
      { delivery_id: rows[1]!.delivery_id, status: 'rejected', error_code: 'invalid', error_message: 'bad field' },
    ]);
    const fired = await evaluateRules(input({ destination_paused: false, dead_letters: { above: 1 } }));
    expect(fired.firing).toEqual([expect.objectContaining({ rule: 'dead_letters', subject: 'meta' })]);
    expect(fired.firing[0]!.message).toContain('2 dead letters (1 dead, 1 rejected), above 1');
    expect((await evaluateRules(input({ destination_paused: false, dead_letters: { above: 2 } }))).firing).toEqual([]);
  });

  it('no events: fires for a silent source, not for one that sent, and gives no verdict before the gateway ran that long', async () => {
    await store.ingest([{ event: hashedEvent({ event_id: 'x' }), source: 'api', test: false, deliveries: [] }]);
    const rules = { destination_paused: false, no_events: { hours: 6, sources: ['api', 'browser'] } };
    const { firing, undecided } = await evaluateRules(input(rules));
    expect(firing.map((c) => c.subject)).toEqual(['browser']);
    expect(firing[0]!.message).toBe('no browser event for 6 h: is the pixel script still connected?');
    expect(undecided.size).toBe(0);
    const young = await evaluateRules(input(rules, { startedAt: Date.now() - HOUR }));
    expect(young.firing).toEqual([]);
    expect([...young.undecided].sort()).toEqual(['no_events:api', 'no_events:browser']);
  });

  it('destination paused: fires while parked, clears when answering, no verdict while not heard from', async () => {
    const health = (h: Partial<DestinationHealth>): (() => DestinationHealth[]) => () => [{ destination_id: 'meta', platform: 'meta', state: 'unknown', ...h }];
    const paused = await evaluateRules(input({}, { health: health({ state: 'paused', paused: { code: 'http_401', message: 'Authentication failed.', since: 1 } }) }));
    expect(paused.firing).toEqual([expect.objectContaining({ rule: 'destination_paused', subject: 'meta' })]);
    expect(paused.firing[0]!.message).toContain('(http_401: Authentication failed.)');
    expect(await evaluateRules(input({}, { health: health({ state: 'ok' }) }))).toEqual({ firing: [], undecided: new Set() });
    expect(await evaluateRules(input({}, { health: health({}) }))).toEqual({ firing: [], undecided: new Set(['destination_paused:meta']) });
  });

  it('delivered share: no verdict with fewer orders than min_orders', async () => {
    const { firing, undecided } = await evaluateRules(input({ destination_paused: false, delivered_share: { below_percent: 90 } }));
    expect(firing).toEqual([]);
    expect([...undecided]).toEqual(['delivered_share:meta']);
  });
});

describe('delivered share over many orders', () => {
  const ORDERS = 400;
  const RULES = { destination_paused: false, delivered_share: { below_percent: 90, window_hours: 24, settle_minutes: 0, min_orders: 300 } };
  const DESTINATIONS = [
    { id: 'meta', platform: 'meta' as const },
    { id: 'tiktok', platform: 'tiktok' as const },
  ];
  let now: number;

  // 400 orders paid over the last day, as the Shopify webhook stores them (every fifth one's browser leg first, its
  // Meta row then taken over by the order's copy). Meta accepted 80% of them, TikTok ~97%; 10 were refunded in full,
  // 5 cancelled and 5 are test orders, which the rule leaves out.
  beforeEach(async () => {
    now = Date.now();
    const META: NewDelivery = { destination_id: 'meta', platform: 'meta', status: 'pending' };
    const TIKTOK: NewDelivery = { destination_id: 'tiktok', platform: 'tiktok', status: 'pending' };
    await Promise.all(
      Array.from({ length: ORDERS }, async (_, i) => {
        const id = String(90_000 + i);
        const paidAt = now - HOUR - i * 60_000;
        const event = hashedEvent({ event_id: eventIdOfOrder(id), event_time: Math.floor(paidAt / 1000), commerce: { value: 10, currency: 'EUR', order_id: id } });
        if (i % 5 === 0) await store.ingest([{ event, source: 'browser', test: false, deliveries: [{ ...META, status: 'skipped', skip_reason: 'order_webhook_sends_purchase' }] }]);
        const test = i % 80 === 7;
        await store.ingest([{ event, source: 'shopify', test, deliveries: [META, TIKTOK] }], {
          webhook_id: `paid-${id}`,
          order: { order_id: id, topic: 'orders/paid', occurred_at: paidAt, total: 10, currency: 'EUR', test },
        });
        if (i % 40 === 3) await store.recordOrder({ order_id: id, topic: 'refunds/create', occurred_at: now - 1000, refunded_amount: 10 });
        if (i % 80 === 5) await store.recordOrder({ order_id: id, topic: 'orders/cancelled', occurred_at: now - 1000 });
      }),
    );
    const deliver = async (destination: string, accepted: (i: number) => boolean): Promise<void> => {
      const rows = await store.claim(destination, 10 * ORDERS, Date.now(), 60_000);
      expect(rows).toHaveLength(ORDERS);
      const ok = rows.filter((r) => accepted(Number(r.event.commerce!.order_id) - 90_000));
      await store.complete(ok.map((r) => ({ delivery_id: r.delivery_id, status: 'delivered' as const, attempt: { at: now, latency_ms: 1, outcome: 'delivered' } })));
    };
    await deliver('meta', (i) => i % 5 !== 1);
    await deliver('tiktok', (i) => i % 33 !== 2);
  });

  /** The rule's share per platform as it was computed before sampling: every order and every outcome of the window. */
  async function exactShares(): Promise<{ orders: number; ok: Record<string, number> }> {
    const to = now;
    const from = to - 24 * HOUR;
    const orders = ordersFromRecords(await store.listOrders({ from, to }), from).filter((o) => o.paid_at! >= from && !o.test && !o.cancelled && !o.fully_refunded);
    const outcomes = await store.deliveryOutcomes!({ from: from - 24 * HOUR, to: now + 1 });
    const ok: Record<string, number> = {};
    for (const p of ['meta', 'tiktok'] as PlatformName[]) {
      const covered = new Set(outcomes.filter((o) => o.platform === p && (o.status === 'delivered' || o.status === 'skipped')).map((o) => o.event_id));
      ok[p] = orders.filter((o) => covered.has(eventIdOfOrder(o.order_id))).length;
    }
    return { orders: orders.length, ok };
  }

  const evaluate = (over: Partial<EvaluationInput> = {}, rules: unknown = RULES) =>
    evaluateRules({ ...input(rules), destinations: DESTINATIONS, now, ...over });

  it('reads every order below the cap: the same counts and message as a read of the whole window', async () => {
    const exact = await exactShares();
    expect(exact.orders).toBe(ORDERS - 10 - 5 - 5);
    expect(exact.ok.meta! / exact.orders).toBeCloseTo(0.8, 1);
    expect(ORDERS).toBeLessThan(MAX_ALERT_ORDERS);
    // At the cap itself (every paid order, test ones apart, counted), still all of them.
    for (const maxOrders of [undefined, ORDERS - 5]) {
      const { firing, undecided } = await evaluate(maxOrders === undefined ? {} : { maxOrders });
      expect(undecided.size).toBe(0);
      expect(firing.map((f) => f.subject)).toEqual(['meta']);
      const share = Math.floor((exact.ok.meta! / exact.orders) * 1000) / 10;
      expect(firing[0]!.message).toBe(
        `meta accepted or was deliberately not sent ${exact.ok.meta} of ${exact.orders} paid orders of record (${share.toFixed(1)}%) over the last 24 h, below 90%. \`matchkey reconcile\` lists the orders it never accepted, with why.`,
      );
    }
  });

  it('estimates the share from a sample above the cap, fires as the exact share would, and says so', async () => {
    const exact = await exactShares();
    const { firing, undecided } = await evaluate({ maxOrders: 100 });
    expect(undecided.size).toBe(0);
    // TikTok's ~97% stays above 90% in the sample; Meta's 80% stays below it.
    expect(firing.map((f) => f.subject)).toEqual(['meta']);
    const m = /an estimated ([\d.]+)% of the paid orders of record \((\d+) of (\d+) in a sample of (\d+) of the 395 paid orders\) over the last 24 h, below 90%/.exec(firing[0]!.message);
    expect(m, firing[0]!.message).not.toBeNull();
    const [estimate, ok, ofRecord, sampled] = [Number(m![1]), Number(m![2]), Number(m![3]), Number(m![4])];
    // The sample is about the cap (by hash, so not exactly), and its share within three standard errors of the whole
    // window's (a sample without replacement of `ofRecord` of its orders).
    expect(sampled).toBeGreaterThan(60);
    expect(sampled).toBeLessThan(140);
    expect(ofRecord).toBeLessThanOrEqual(sampled);
    const p = exact.ok.meta! / exact.orders;
    const se = Math.sqrt(((p * (1 - p)) / ofRecord) * ((exact.orders - ofRecord) / (exact.orders - 1)));
    expect(Math.abs(ok / ofRecord - p)).toBeLessThan(3 * se);
    expect(estimate).toBe(Math.floor((ok / ofRecord) * 1000) / 10);

    // With a threshold below both shares, nothing fires, sampled or not.
    const lower = { ...RULES, delivered_share: { ...RULES.delivered_share, below_percent: 70 } };
    expect((await evaluate({ maxOrders: 100 }, lower)).firing).toEqual([]);
    expect((await evaluate({}, lower)).firing).toEqual([]);
  });

  it('applies min_orders to the orders of the window, not to the sample', async () => {
    // ~100 sampled, but the window holds 380 orders of record: 300 are enough for a verdict, 400 are not.
    expect((await evaluate({ maxOrders: 100 })).undecided.size).toBe(0);
    const more = { ...RULES, delivered_share: { ...RULES.delivered_share, min_orders: 400 } };
    const { firing, undecided } = await evaluate({ maxOrders: 100 }, more);
    expect(firing).toEqual([]);
    expect([...undecided].sort()).toEqual(['delivered_share:meta', 'delivered_share:tiktok']);
  });
});
