import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import type { HashedEvent, PlainContact } from '../identity/types.js';
import { SAMPLE_KEY_SPACE, sampleKey } from './event-scan.js';
import type { IngestItem, NewDelivery, OrderRecord, OutboxStore } from './types.js';

// The behaviour every OutboxStore owes the gateway. SQLite runs it now; the PostgreSQL store will call
// `describeStoreContract('postgres', …)` with the same expectations.

export interface StoreFactoryOptions {
  secretKey?: Buffer;
  /** The store's own clock (received_at, created_at, replay's "now"). */
  now?: () => number;
}

export type StoreFactory = (opts: StoreFactoryOptions) => Promise<OutboxStore>;

export function hashedEvent(overrides: Partial<HashedEvent> = {}): HashedEvent {
  return {
    event_id: 'order_1001',
    event_id_source: 'order',
    event_name: 'purchase',
    event_time: 1_764_326_400,
    action_source: 'website',
    user: { em: ['a'.repeat(64)], client_ip_address: '203.0.113.7' },
    commerce: { value: 59.9, currency: 'USD', order_id: '1001' },
    consent: { marketing: true, limited_data_use: false },
    findings: [],
    ...overrides,
  };
}

const META: NewDelivery = { destination_id: 'meta', platform: 'meta', status: 'pending' };
const TIKTOK: NewDelivery = { destination_id: 'tiktok', platform: 'tiktok', status: 'pending' };
const KLAVIYO: NewDelivery = { destination_id: 'klaviyo', platform: 'klaviyo', status: 'pending', needs_contact: true };

function item(eventId: string, deliveries: NewDelivery[] = [META], extra: Partial<HashedEvent> = {}): IngestItem {
  return { event: hashedEvent({ event_id: eventId, ...extra }), source: 'api', test: false, deliveries };
}

export function describeStoreContract(name: string, makeStore: StoreFactory): void {
  describe(`OutboxStore contract: ${name}`, () => {
    const open: OutboxStore[] = [];
    let clock = 1_000_000;
    const key = randomBytes(32);
    async function store(opts: StoreFactoryOptions = { secretKey: key }): Promise<OutboxStore> {
      const s = await makeStore({ now: () => clock, ...opts });
      await s.migrate(); // idempotent: a second call on an opened store changes nothing
      open.push(s);
      return s;
    }
    afterEach(async () => {
      clock = 1_000_000;
      for (const s of open.splice(0)) await s.close();
    });

    it('ingests events with one delivery row per destination and lists them back', async () => {
      const s = await store();
      const res = await s.ingest([
        item('e1', [META, TIKTOK]),
        item('e2', [META, { destination_id: 'tiktok', platform: 'tiktok', status: 'skipped', skip_reason: 'consent_denied' }]),
      ]);
      expect(res).toEqual({ duplicate_webhook: false, items: [{ stored: true, deliveries_created: 2 }, { stored: true, deliveries_created: 2 }] });
      const events = await s.listEvents();
      expect(events.map((e) => e.event.event_id)).toEqual(['e1', 'e2']);
      expect(events[0]).toMatchObject({ source: 'api', test: false, received_at: clock });
      expect(events[0]!.event).toEqual(hashedEvent({ event_id: 'e1' }));
      const counts = await s.counts(clock);
      expect(counts).toEqual([
        { destination_id: 'meta', platform: 'meta', pending: 2, retrying: 0, delivered: 0, rejected: 0, dead: 0, skipped: 0, oldest_pending_ms: 0 },
        { destination_id: 'tiktok', platform: 'tiktok', pending: 1, retrying: 0, delivered: 0, rejected: 0, dead: 0, skipped: 1, oldest_pending_ms: 0 },
      ]);
      expect((await s.counts(clock + 5000))[0]!.oldest_pending_ms).toBe(5000);
    });

    it('reads back every hashed field of an event, shared and repeated hashes included, through each read', async () => {
      const s = await store();
      const [h1, h2, h3] = ['1', '2', '3'].map((c) => c.repeat(64)) as [string, string, string];
      // hashOnce's output: variants that normalize alike share the hash (em, em_google), lists, single values.
      const user = { em: [h1, h2], em_google: [h1, h2], ph: [h3], fn: h1, fn_meta: h1, ln: 'f'.repeat(64), external_id: [h3, h3], country: h2, client_user_agent: 'UA' };
      const event = hashedEvent({ event_id: 'order_h1', user });
      await s.ingest([{ event, source: 'api', test: false, deliveries: [META] }]);
      expect((await s.claim('meta', 10, clock, 60_000))[0]!.event).toEqual(event);
      expect((await s.listEvents())[0]!.event).toEqual(event);
      expect((await s.scanEvents({ from: 0, to: clock + 1, limit: 10 })).events[0]!.event).toEqual(event);
      if (s.inspectEvents) expect((await s.inspectEvents('order_h1'))[0]!.event).toEqual(event);
    });

    it('absorbs a second delivery for the same destination and event_id', async () => {
      const s = await store();
      await s.ingest([item('order_7', [META])]);
      const again = await s.ingest([item('order_7', [META, TIKTOK])]);
      expect(again.items).toEqual([{ stored: false, deliveries_created: 1 }]);
      const dup = await s.ingest([item('order_7', [META]), item('order_7', [META])]);
      expect(dup.items).toEqual([
        { stored: false, deliveries_created: 0 },
        { stored: false, deliveries_created: 0 },
      ]);
      expect(await s.claim('meta', 10, clock, 1000)).toHaveLength(1);
      expect(await s.claim('tiktok', 10, clock, 1000)).toHaveLength(1);
      expect(await s.listEvents()).toHaveLength(1);
    });

    it('is idempotent on the webhook id, for events and for orders', async () => {
      const s = await store();
      const order = { order_id: '1001', topic: 'orders/paid' as const, name: '#1001', occurred_at: 5000, total: 59.9, currency: 'USD', test: false };
      const first = await s.ingest([item('order_1001')], { webhook_id: 'wh-1', order });
      expect(first.duplicate_webhook).toBe(false);
      const second = await s.ingest([item('order_1001', [META, TIKTOK])], { webhook_id: 'wh-1', order });
      expect(second).toEqual({ duplicate_webhook: true, items: [{ stored: false, deliveries_created: 0 }] });
      expect(await s.claim('tiktok', 10, clock, 1000)).toEqual([]);

      const refund = { order_id: '1001', topic: 'refunds/create' as const, occurred_at: 9000, refunded_amount: 10 };
      expect(await s.recordOrder(refund, { webhook_id: 'wh-2' })).toEqual({ duplicate_webhook: false });
      expect(await s.recordOrder(refund, { webhook_id: 'wh-2' })).toEqual({ duplicate_webhook: true });
      expect(await s.listOrders()).toEqual([order, refund]);
      expect(await s.listOrders({ from: 6000 })).toEqual([refund]);
      expect(await s.listOrders({ to: 6000 })).toEqual([order]);
    });

    it('claims due rows oldest first, up to the limit, and leases them', async () => {
      const s = await store();
      await s.ingest([item('a')]);
      clock += 10;
      await s.ingest([item('b'), item('c')]);
      const first = await s.claim('meta', 2, clock, 30_000);
      expect(first.map((c) => c.event.event_id)).toEqual(['a', 'b']);
      expect(first[0]).toMatchObject({ destination_id: 'meta', platform: 'meta', attempts: 0, created_at: clock - 10 });
      expect(first[0]!.first_attempt_at).toBeUndefined();
      const second = await s.claim('meta', 10, clock, 30_000);
      expect(second.map((c) => c.event.event_id)).toEqual(['c']);
      expect(await s.claim('meta', 10, clock + 29_999, 30_000)).toEqual([]);
      expect(await s.nextDueAt('meta')).toBe(clock + 30_000);
      // A holder that died: its lease runs out and the rows are due again.
      const expired = await s.claim('meta', 10, clock + 30_000, 30_000);
      expect(expired.map((c) => c.event.event_id)).toEqual(['a', 'b', 'c']);
      expect(await s.claim('other', 10, clock + 99_999, 1000)).toEqual([]);
    });

    it('renews leases and releases rows without counting an attempt', async () => {
      const s = await store();
      await s.ingest([item('a'), item('b')]);
      const [a, b] = await s.claim('meta', 10, clock, 1000);
      await s.renewLeases([a!.delivery_id], clock + 60_000);
      expect((await s.claim('meta', 10, clock + 1000, 1000)).map((c) => c.event.event_id)).toEqual(['b']);
      clock += 2000;
      await s.release([a!.delivery_id, b!.delivery_id]);
      const again = await s.claim('meta', 10, clock, 1000);
      expect(again.map((c) => [c.event.event_id, c.attempts])).toEqual([
        ['a', 0],
        ['b', 0],
      ]);
    });

    it('completes rows: retries come back at next_attempt_at with the attempt counted, finals never again', async () => {
      const s = await store();
      await s.ingest([item('ok'), item('retry'), item('bad'), item('gone')]);
      const [ok, retry, bad, gone] = await s.claim('meta', 10, clock, 1000);
      const attempt = { at: clock, latency_ms: 12, http_status: 200, outcome: 'delivered' };
      await s.complete([
        { delivery_id: ok!.delivery_id, status: 'delivered', attempt },
        {
          delivery_id: retry!.delivery_id,
          status: 'pending',
          next_attempt_at: clock + 5000,
          attempt: { ...attempt, http_status: 503, outcome: 'retryable' },
          error_code: 'http_503',
          error_message: 'Service Unavailable',
        },
        { delivery_id: bad!.delivery_id, status: 'rejected', attempt: { ...attempt, http_status: 400, outcome: 'permanent', platform_code: '100/2804003' }, error_code: '100', error_message: 'Invalid parameter' },
        { delivery_id: gone!.delivery_id, status: 'dead', error_code: 'too_old', error_message: 'older than 7 days' },
      ]);
      expect(await s.nextDueAt('meta')).toBe(clock + 5000);
      expect(await s.claim('meta', 10, clock + 4999, 1000)).toEqual([]);
      const [again] = await s.claim('meta', 10, clock + 5000, 1000);
      expect(again).toMatchObject({ delivery_id: retry!.delivery_id, attempts: 1, first_attempt_at: clock });
      const c = (await s.counts(clock + 5000))[0]!;
      expect(c).toMatchObject({ pending: 0, retrying: 1, delivered: 1, rejected: 1, dead: 1, skipped: 0 });
      await s.complete([{ delivery_id: again!.delivery_id, status: 'delivered', attempt: { ...attempt, at: clock + 5000 } }]);
      expect(await s.nextDueAt('meta')).toBeNull();
      expect(await s.claim('meta', 10, clock + 10 ** 9, 1000)).toEqual([]);
    });

    it('keeps the backlog counts and the oldest pending age right through every change of a row', async () => {
      const s = await store();
      const backlog = async (at: number) =>
        Object.fromEntries((await s.counts(at)).map((c) => [c.destination_id, [c.pending, c.retrying, c.dead, c.oldest_pending_ms]]));
      await s.ingest([item('b1', [META, TIKTOK]), item('b2', [META])]);
      clock += 1000;
      await s.ingest([item('b3', [META, { destination_id: 'tiktok', platform: 'tiktok', status: 'skipped', skip_reason: 'consent' }])]);
      // A second copy of an event already stored adds no row and changes no count.
      await s.ingest([item('b1', [META, TIKTOK])]);
      expect(await backlog(clock)).toEqual({ meta: [3, 0, 0, 1000], tiktok: [1, 0, 0, 1000] });
      // Claims, renewals and releases leave the counts alone.
      const claimed = await s.claim('meta', 10, clock, 1000);
      await s.renewLeases([claimed[0]!.delivery_id], clock + 2000);
      await s.release([claimed[2]!.delivery_id]);
      expect(await backlog(clock)).toEqual({ meta: [3, 0, 0, 1000], tiktok: [1, 0, 0, 1000] });
      const attempt = { at: clock, latency_ms: 5, outcome: 'retryable' };
      const retry = (id: number) => ({ delivery_id: id, status: 'pending' as const, next_attempt_at: clock, attempt, error_code: 'http_503', error_message: 'x' });
      // b1 retries (pending → retrying), b2 dies; a second retry of b1 keeps it retrying.
      await s.complete([retry(claimed[0]!.delivery_id), { delivery_id: claimed[1]!.delivery_id, status: 'dead', attempt, error_code: 'http_503', error_message: 'x' }]);
      const [b1] = await s.claim('meta', 1, clock, 1000);
      await s.complete([retry(b1!.delivery_id)]);
      expect(await backlog(clock)).toEqual({ meta: [1, 1, 1, 1000], tiktok: [1, 0, 0, 1000] });
      // The oldest pending meta row (b1) is delivered: the age is the next oldest's (b3, created 1000 ms later).
      const [again] = await s.claim('meta', 1, clock, 1000);
      await s.complete([{ delivery_id: again!.delivery_id, status: 'delivered', attempt: { ...attempt, outcome: 'delivered' } }]);
      expect(await backlog(clock + 500)).toEqual({ meta: [1, 0, 1, 500], tiktok: [1, 0, 0, 1500] });
      // A replayed dead row is pending again, with a fresh budget.
      expect(await s.replay({ status: 'dead', destination_id: 'meta' })).toBe(1);
      expect(await backlog(clock + 500)).toEqual({ meta: [2, 0, 0, 1500], tiktok: [1, 0, 0, 1500] });
      const rest = await s.claim('meta', 10, clock, 1000);
      const [tk] = await s.claim('tiktok', 10, clock, 1000);
      const delivered = (id: number) => ({ delivery_id: id, status: 'delivered' as const, attempt: { ...attempt, outcome: 'delivered' } });
      await s.complete([...rest.map((r) => delivered(r.delivery_id)), delivered(tk!.delivery_id)]);
      expect(await backlog(clock)).toEqual({ meta: [0, 0, 0, 0], tiktok: [0, 0, 0, 0] });
    });

    it('replays dead and rejected rows as pending now with a fresh retry budget', async () => {
      const s = await store();
      await s.ingest([item('d1', [META, TIKTOK]), item('d2', [META]), item('r1', [META])]);
      const claimed = await s.claim('meta', 10, clock, 1000);
      const [tk] = await s.claim('tiktok', 10, clock, 1000);
      const dead = (id: number) => ({ delivery_id: id, status: 'dead' as const, attempt: { at: clock, latency_ms: 1, outcome: 'retryable' }, error_code: 'http_503', error_message: 'x' });
      await s.complete([dead(claimed[0]!.delivery_id), dead(tk!.delivery_id)]);
      clock += 1000;
      await s.complete([dead(claimed[1]!.delivery_id), { delivery_id: claimed[2]!.delivery_id, status: 'rejected', error_code: '100', error_message: 'bad' }]);
      expect(await s.replay({ status: 'dead', destination_id: 'meta', since: clock })).toBe(1);
      expect(await s.replay({ status: 'dead', delivery_ids: [tk!.delivery_id] })).toBe(1);
      expect(await s.replay({ status: 'dead' })).toBe(1);
      expect(await s.replay({ status: 'dead' })).toBe(0);
      const again = await s.claim('meta', 10, clock, 1000);
      expect(again.map((c) => [c.event.event_id, c.attempts, c.first_attempt_at])).toEqual([
        ['d1', 0, undefined],
        ['d2', 0, undefined],
      ]);
      expect(await s.replay({ status: 'rejected' })).toBe(1);
      expect((await s.claim('meta', 10, clock, 1000)).map((c) => c.event.event_id)).toEqual(['r1']);
    });

    it('seals the Klaviyo contact onto its delivery row only, and drops it once the row is final', async () => {
      const s = await store();
      const contact: PlainContact = { email: 'jane.doe@example.com', phone_number: '+16505551212', first_name: 'Jane', last_name: 'Doe' };
      await s.ingest([item('order_1', [META, KLAVIYO], { contact })]);
      expect((await s.listEvents())[0]!.event.contact).toBeUndefined();
      const [meta] = await s.claim('meta', 10, clock, 1000);
      expect(meta!.event.contact).toBeUndefined();
      const [kl] = await s.claim('klaviyo', 10, clock, 1000);
      expect(kl!.event.contact).toEqual(contact);
      await s.complete([{ delivery_id: kl!.delivery_id, status: 'rejected', error_code: 'x', error_message: 'x' }]);
      await s.replay({ status: 'rejected' });
      const [replayed] = await s.claim('klaviyo', 10, clock, 1000);
      expect(replayed!.event.event_id).toBe('order_1');
      expect(replayed!.event.contact).toBeUndefined();
    });

    it('refuses a delivery that needs the contact when no secret key is configured, storing nothing', async () => {
      const s = await store({});
      await expect(s.ingest([item('k1', [META, KLAVIYO], { contact: { email: 'x@example.com' } })])).rejects.toBeInstanceOf(InputError);
      expect(await s.listEvents()).toEqual([]);
      // Skipped Klaviyo rows carry nothing to seal and are accepted.
      const res = await s.ingest([item('k2', [{ ...KLAVIYO, status: 'skipped', skip_reason: 'consent_denied' }])]);
      expect(res.items[0]!.deliveries_created).toBe(1);
    });

    it('reports the delivery outcome of purchase events by event_time, when the store offers it', async () => {
      const s = await store();
      if (!s.deliveryOutcomes) return;
      await s.ingest([
        item('p1', [META, { destination_id: 'tiktok', platform: 'tiktok', status: 'skipped', skip_reason: 'consent_denied' }], { event_time: 1000 }),
        item('v1', [META], { event_name: 'view_content', event_time: 1000 }),
        item('p2', [META], { event_time: 5000 }),
      ]);
      const [p1] = await s.claim('meta', 1, clock, 1000);
      await s.complete([{ delivery_id: p1!.delivery_id, status: 'rejected', attempt: { at: clock, latency_ms: 1, outcome: 'permanent' }, error_code: '100', error_message: 'bad' }]);
      const outcomes = await s.deliveryOutcomes({ from: 0, to: 2_000_000 });
      const byKey = Object.fromEntries(outcomes.map((o) => [`${o.event_id}/${o.destination_id}`, o]));
      expect(Object.keys(byKey).sort()).toEqual(['p1/meta', 'p1/tiktok']);
      expect(byKey['p1/meta']).toMatchObject({ status: 'rejected', attempts: 1, error_code: '100', event_time: 1_000_000 });
      expect(byKey['p1/tiktok']).toMatchObject({ status: 'skipped', skip_reason: 'consent_denied' });
      // One at a time, the same outcomes in the same order, whatever the page (one event per page here).
      if (s.forEachDeliveryOutcome) {
        await s.ingest([item('p3', [META], { event_time: 1500 })]);
        const all = await s.deliveryOutcomes({ from: 0, to: 2_000_000 });
        expect(all.map((o) => `${o.event_id}/${o.destination_id}`)).toEqual(['p1/meta', 'p1/tiktok', 'p3/meta']);
        for (const pageEvents of [1, 2, 5000]) {
          const visited: typeof all = [];
          await s.forEachDeliveryOutcome({ from: 0, to: 2_000_000 }, (o) => visited.push(o), { pageEvents });
          expect(visited).toEqual(all);
        }
        let none = 0;
        await s.forEachDeliveryOutcome({ from: 3_000_000, to: 4_000_000 }, () => none++);
        expect(none).toBe(0);
      }
    });

    it('reads the delivery rows of purchase event_ids by id, whichever leg holds each row, in chunks', async () => {
      const s = await store();
      const browser = (id: string, deliveries: NewDelivery[], extra: Partial<HashedEvent> = {}): IngestItem => ({ ...item(id, deliveries, extra), source: 'browser' });
      const PINTEREST: NewDelivery = { destination_id: 'pinterest', platform: 'pinterest', status: 'pending' };
      const deferred: NewDelivery = { ...META, status: 'skipped', skip_reason: 'order_webhook_sends_purchase' };
      // order_1: the browser leg first, holding Meta (deferred) and Pinterest; the order's copy then takes Meta over
      // and plans TikTok. Its rows hang off both legs: Meta and TikTok off the shopify event, Pinterest off the browser's.
      await s.ingest([browser('order_1', [deferred, PINTEREST], { event_time: 1000 })]);
      clock += 5;
      await s.ingest([{ ...item('order_1', [META, TIKTOK], { event_time: 1001 }), source: 'shopify', test: true }]);
      // order_2: the browser leg only (its webhook not in yet). order_3: the server leg only, Meta delivered.
      await s.ingest([browser('order_2', [deferred], { event_time: 2000 })]);
      await s.ingest([item('order_3', [META], { event_time: 3000 })]);
      // A non-purchase event with an asked id: not a purchase's row.
      await s.ingest([item('view_1', [META], { event_name: 'view_content' })]);
      const claimed = await s.claim('meta', 10, clock, 1000);
      const order3 = claimed.find((c) => c.event.event_id === 'order_3')!;
      await s.complete([{ delivery_id: order3.delivery_id, status: 'delivered', attempt: { at: clock, latency_ms: 1, outcome: 'delivered' } }]);
      await s.release(claimed.filter((c) => c !== order3).map((c) => c.delivery_id));

      // 2,500 ids (three statements), the stored ones at either end and across a chunk boundary.
      const ids = Array.from({ length: 2500 }, (_, i) => `order_none_${i}`);
      ids[0] = 'order_1';
      ids[1000] = 'order_2';
      ids[2499] = 'order_3';
      ids[1500] = 'view_1';
      const outcomes = await s.purchaseDeliveryOutcomes(ids);
      const byKey = Object.fromEntries(outcomes.map((o) => [`${o.event_id}/${o.destination_id}`, o]));
      expect(Object.keys(byKey).sort()).toEqual(['order_1/meta', 'order_1/pinterest', 'order_1/tiktok', 'order_2/meta', 'order_3/meta']);
      expect(outcomes).toHaveLength(5);
      expect(byKey['order_1/meta']).toEqual({ destination_id: 'meta', platform: 'meta', event_id: 'order_1', event_time: 1_001_000, status: 'pending', attempts: 0, test: true });
      expect(byKey['order_1/pinterest']).toEqual({ destination_id: 'pinterest', platform: 'pinterest', event_id: 'order_1', event_time: 1_000_000, status: 'pending', attempts: 0, test: false });
      expect(byKey['order_2/meta']).toMatchObject({ status: 'skipped', skip_reason: 'order_webhook_sends_purchase', event_time: 2_000_000 });
      expect(byKey['order_3/meta']).toMatchObject({ status: 'delivered', attempts: 1, event_time: 3_000_000, test: false });
      // The same rows as the event_time range read gives for these events.
      if (s.deliveryOutcomes) {
        const ranged = (await s.deliveryOutcomes({ from: 0, to: 4_000_000 })).filter((o) => o.event_id.startsWith('order_'));
        const key = (o: { event_id: string; destination_id: string }): string => `${o.event_id}/${o.destination_id}`;
        expect([...outcomes].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...ranged].sort((a, b) => key(a).localeCompare(key(b))));
      }
      expect(await s.purchaseDeliveryOutcomes([])).toEqual([]);
      expect(await s.purchaseDeliveryOutcomes(['order_none'])).toEqual([]);
    });

    it('counts the paid orders of a range and samples the order log by the purchase event_id', async () => {
      const s = await store();
      const paid = (id: string, at: number, extra: Partial<OrderRecord> = {}): OrderRecord => ({ order_id: id, topic: 'orders/paid', occurred_at: at, total: 10, currency: 'EUR', ...extra });
      const ids = Array.from({ length: 40 }, (_, i) => `${7000 + i}`);
      for (const [i, id] of ids.entries()) await s.recordOrder(paid(id, 1000 + i));
      // The same orders/paid webhook again under another id (a second subscription): the same record.
      await s.recordOrder(paid(ids[0]!, 1000), { webhook_id: 'second-subscription' });
      await s.recordOrder({ order_id: ids[1]!, topic: 'refunds/create', occurred_at: 1600, refunded_amount: 10 });
      await s.recordOrder({ order_id: 'c1', topic: 'orders/cancelled', occurred_at: 1700 });
      await s.recordOrder(paid('t1', 1800, { test: true }));
      await s.recordOrder(paid('late', 5000));
      expect(await s.countPaidOrders({ from: 1000, to: 2000 })).toBe(40);
      expect(await s.countPaidOrders({ from: 1001, to: 1002 })).toBe(1);
      expect(await s.countPaidOrders({ from: 3000, to: 4000 })).toBe(0);

      // A bound between the keys of the orders' purchase event_ids: about half are kept, each with all its records.
      const keys = ids.map((id) => sampleKey(`order_${id}`)).sort((a, b) => a - b);
      const below = keys[20]!;
      const kept = new Set(ids.filter((id) => sampleKey(`order_${id}`) < below));
      expect(kept.size).toBe(20);
      const all = await s.listOrders({ from: 1000, to: 2000 });
      const sampled = await s.listOrders({ from: 1000, to: 2000, sampleBelow: below });
      const inSample = (id: string): boolean => sampleKey(`order_${id}`) < below;
      expect(sampled).toEqual(all.filter((r) => inSample(r.order_id)));
      expect(new Set(sampled.filter((r) => r.topic === 'orders/paid').map((r) => r.order_id))).toEqual(new Set([...kept, ...['t1'].filter(inSample)]));
      expect(await s.listOrders({ from: 1000, to: 2000, sampleBelow: SAMPLE_KEY_SPACE })).toEqual(all);
      expect(await s.listOrders({ from: 1000, to: 2000, sampleBelow: 0 })).toEqual([]);
    });

    it('stores a browser event and its server twin (same event_id) and keeps one delivery per destination', async () => {
      const s = await store();
      const deferred: NewDelivery = { ...META, status: 'skipped', skip_reason: 'order_webhook_sends_purchase' };
      const browser = (id: string, deliveries: NewDelivery[]): IngestItem => ({ ...item(id, deliveries), source: 'browser' });
      // Browser first, deferring to the order webhook; the webhook's event then takes the row over and is sent.
      expect((await s.ingest([browser('order_1', [deferred, { ...TIKTOK, status: 'skipped', skip_reason: 'consent_denied' }])])).items).toEqual([
        { stored: true, deliveries_created: 2 },
      ]);
      clock += 5;
      const server = await s.ingest([{ ...item('order_1', [META, TIKTOK]), source: 'shopify' }]);
      expect(server.items).toEqual([{ stored: true, deliveries_created: 2 }]);
      const events = await s.listEvents();
      expect(events.map((e) => [e.event.event_id, e.source])).toEqual([
        ['order_1', 'browser'],
        ['order_1', 'shopify'],
      ]);
      const claimed = await s.claim('meta', 10, clock, 1000);
      expect(claimed).toHaveLength(1);
      expect(claimed[0]).toMatchObject({ created_at: clock, attempts: 0 });
      // The TikTok row was skipped because the browser said "no consent": an anonymous request cannot speak for
      // the order, whose own copy takes the row over and is sent.
      expect((await s.claim('tiktok', 10, clock, 1000)).map((c) => c.event.event_id)).toEqual(['order_1']);
      const meta = (await s.counts(clock)).find((c) => c.destination_id === 'meta')!;
      expect(meta).toMatchObject({ pending: 1, skipped: 0 });
      expect((await s.counts(clock)).find((c) => c.destination_id === 'tiktok')).toMatchObject({ pending: 1, skipped: 0 });

      // Server first: the browser twin is stored for dedup pairing but creates no second delivery.
      await s.ingest([{ ...item('order_2', [META]), source: 'shopify' }]);
      const late = await s.ingest([browser('order_2', [META])]);
      expect(late.items).toEqual([{ stored: true, deliveries_created: 0 }]);
      // The same browser event twice is one event.
      expect((await s.ingest([browser('order_2', [META])])).items).toEqual([{ stored: false, deliveries_created: 0 }]);
      expect((await s.claim('meta', 10, clock, 1000)).map((c) => c.event.event_id)).toEqual(['order_2']);
      expect((await s.listEvents()).filter((e) => e.event.event_id === 'order_2').map((e) => e.source).sort()).toEqual(['browser', 'shopify']);
    });

    it('lets the server copy win a row a browser event took first, whatever its state and event name', async () => {
      const s = await store();
      const browser = (id: string, name: string): IngestItem => ({ ...item(id, [META], { event_name: name }), source: 'browser' });
      // A forged page_view carrying the order's id, sent and delivered before the order arrives.
      await s.ingest([browser('order_7', 'page_view')]);
      const [forged] = await s.claim('meta', 10, clock, 1000);
      await s.complete([{ delivery_id: forged!.delivery_id, status: 'delivered', attempt: { at: clock, latency_ms: 1, outcome: 'delivered' } }]);
      expect((await s.counts(clock)).find((c) => c.destination_id === 'meta')).toMatchObject({ delivered: 1, pending: 0 });
      clock += 5;
      const order = await s.ingest([{ ...item('order_7', [META]), source: 'shopify' }]);
      expect(order.items).toEqual([{ stored: true, deliveries_created: 1 }]);
      const [real] = await s.claim('meta', 10, clock, 1000);
      expect(real).toMatchObject({ attempts: 0, event: { event_id: 'order_7', event_name: 'purchase' } });
      expect((await s.counts(clock)).find((c) => c.destination_id === 'meta')).toMatchObject({ delivered: 0, pending: 1 });
      await s.complete([{ delivery_id: real!.delivery_id, status: 'delivered', attempt: { at: clock, latency_ms: 1, outcome: 'delivered' } }]);

      // A forged event in flight when the order arrives: its completion no longer counts, and the order's copy is
      // claimed once that lease has run out.
      await s.ingest([browser('order_8', 'purchase')]);
      const [inFlight] = await s.claim('meta', 10, clock, 1000);
      expect(inFlight!.event.event_id).toBe('order_8');
      await s.ingest([{ ...item('order_8', [META]), source: 'api' }]);
      await s.complete([{ delivery_id: inFlight!.delivery_id, status: 'delivered', attempt: { at: clock, latency_ms: 1, outcome: 'delivered' } }]);
      expect(await s.claim('meta', 10, clock + 10, 1000)).toEqual([]);
      const [serverCopy] = await s.claim('meta', 10, clock + 1000, 1000);
      expect(serverCopy).toMatchObject({ delivery_id: inFlight!.delivery_id, event: { event_id: 'order_8', event_name: 'purchase' } });
      expect((await s.listEvents()).find((e) => e.event.event_id === 'order_8' && e.source === 'api')).toBeDefined();
    });

    it('keeps browser contexts under their join keys, merged, and finds them by any key', async () => {
      const s = await store();
      if (!s.saveBrowserContext || !s.findBrowserContexts) return;
      await s.saveBrowserContext(['fbp:fb.1.1.2', 'checkout:tok1'], { fbp: 'fb.1.1.2', client_user_agent: 'UA/1' });
      clock += 10;
      await s.saveBrowserContext(['checkout:tok1', 'event:order_9'], { ttp: 'ttp1', client_user_agent: 'UA/2', consent: { marketing: true, limited_data_use: false } });
      const found = await s.findBrowserContexts(['checkout:tok1', 'event:order_9', 'cart:none'], 0);
      const byKey = Object.fromEntries(found.map((f) => [f.join_key, f]));
      expect(Object.keys(byKey).sort()).toEqual(['checkout:tok1', 'event:order_9']);
      expect(byKey['checkout:tok1']).toEqual({
        join_key: 'checkout:tok1',
        context: { fbp: 'fb.1.1.2', ttp: 'ttp1', client_user_agent: 'UA/2', consent: { marketing: true, limited_data_use: false } },
        updated_at: clock,
      });
      expect(await s.findBrowserContexts(['fbp:fb.1.1.2'], clock)).toEqual([]);
      expect(await s.findBrowserContexts([], 0)).toEqual([]);
    });

    it('scans a time range page by page (keyset), returning only the events in a sample by event_id, and counts it', async () => {
      const s = await store();
      // Three events in one millisecond straddle a page boundary; one is before the range, one after.
      clock = 999;
      await s.ingest([item('before')]);
      clock = 1_000;
      await s.ingest([item('a1'), item('a2'), item('a3')]);
      await s.ingest([{ ...item('a2'), source: 'browser' }]);
      clock = 1_005;
      await s.ingest([item('b1')]);
      clock = 2_000;
      await s.ingest([item('after')]);

      const range = { from: 1_000, to: 2_000 };
      const pages = [];
      let page = await s.scanEvents({ ...range, limit: 2 });
      pages.push(page);
      while (page.next) pages.push((page = await s.scanEvents({ ...range, limit: 2, after: page.next })));
      expect(pages.map((p) => p.events.map((e) => `${e.event.event_id}/${e.source}`))).toEqual([['a1/api', 'a2/api'], ['a3/api', 'a2/browser'], ['b1/api']]);
      expect(pages[0]!.events[0]).toMatchObject({ test: false, received_at: 1_000, event: { event_name: 'purchase' } });

      // The sample is by event_id: both legs of a2 are kept together, the rest read past.
      const sampled = await s.scanEvents({ ...range, limit: 100, sampleBelow: sampleKey('a2') + 1 });
      expect(['a1', 'a3', 'b1'].filter((id) => sampleKey(id) <= sampleKey('a2'))).toEqual([]); // so only a2 is below
      expect(sampled.events.map((e) => e.source).sort()).toEqual(['api', 'browser']);
      expect(sampled.next).toBeNull();
      expect(await s.scanEvents({ from: 3_000, to: 4_000, limit: 10 })).toEqual({ events: [], next: null });
      expect(await s.countEvents(range)).toBe(5);
      expect(await s.countEvents({ from: 3_000, to: 4_000 })).toBe(0);
      expect(await s.hasEventFrom({ source: 'browser', ...range })).toBe(true);
      expect(await s.hasEventFrom({ source: 'browser', from: 1_001, to: 2_000 })).toBe(false);
      expect(await s.hasEventFrom({ source: 'shopify', ...range })).toBe(false);
      expect(await s.hasEventFrom({ source: 'api', from: 999, to: 1_000 })).toBe(true);
    });

    it('commits concurrent ingests together and resolves each caller', async () => {
      const s = await store();
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => s.ingest([item(`c${i}`)])));
      expect(results.every((r) => r.items[0]!.stored)).toBe(true);
      expect(await s.listEvents({ limit: 1000 })).toHaveLength(200);
      expect(await s.listEvents({ limit: 5 })).toHaveLength(5);
      expect(await s.listEvents({ from: clock + 1 })).toEqual([]);
    });
  });
}
