import { afterEach, describe, expect, it } from 'vitest';
import { hashedEvent, type StoreFactory } from './contract.js';
import type { AttemptRecord, IngestItem, NewDelivery, OutboxStore } from './types.js';

// The dashboard's reads (OutboxStore.activity / inspectEvents / deadLetters) as every store owes them. SQLite runs
// it in sqlite/admin-queries.test.ts; the PostgreSQL store calls `describeAdminReads('postgres', …)` once it has them.

const META: NewDelivery = { destination_id: 'meta', platform: 'meta', status: 'pending' };
const TIKTOK: NewDelivery = { destination_id: 'tiktok', platform: 'tiktok', status: 'pending' };
const MINUTE = 60_000;
const T0 = 1_800_000_000_000;

function item(eventId: string, orderId: string): IngestItem {
  return { event: hashedEvent({ event_id: eventId, commerce: { value: 10, currency: 'USD', order_id: orderId } }), source: 'api', test: false, deliveries: [META, TIKTOK] };
}

function attempt(at: number, outcome: string, http_status: number, platform_code?: string): AttemptRecord {
  return { at, latency_ms: 40, http_status, outcome, ...(platform_code ? { platform_code, message: `answered ${http_status}` } : {}) };
}

export function describeAdminReads(name: string, makeStore: StoreFactory): void {
  describe(`OutboxStore dashboard reads: ${name}`, () => {
    const open: OutboxStore[] = [];
    let clock = T0;
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
      clock = T0;
    });

    /**
     * Minute 0: e1, e2, e3 in. Minute 1: meta delivers e1, e2 and refuses e3 for good; tiktok fails e1 (retry later).
     * Minute 2: tiktok delivers e1 on its retry, and fails e2 for the last time (dead). e3 to tiktok stays pending.
     */
    async function seeded(): Promise<{ store: OutboxStore; ids: Record<string, number> }> {
      const store = await makeStore({ now: () => clock });
      await store.migrate();
      open.push(store);
      await store.ingest([item('e1', '101'), item('e2', '102'), item('order_103', '103')]);
      const ids: Record<string, number> = {};
      clock = T0 + MINUTE + 5_000;
      for (const dest of ['meta', 'tiktok']) {
        const claimed = await store.claim(dest, 10, clock, 30_000);
        for (const c of claimed) ids[`${dest}:${c.event.event_id}`] = c.delivery_id;
      }
      const at1 = T0 + MINUTE + 1_000;
      await store.complete([
        { delivery_id: ids['meta:e1']!, status: 'delivered', attempt: attempt(at1, 'delivered', 200) },
        { delivery_id: ids['meta:e2']!, status: 'delivered', attempt: attempt(at1, 'delivered', 200) },
        { delivery_id: ids['meta:order_103']!, status: 'rejected', attempt: attempt(at1, 'permanent', 400, 'meta_100'), error_code: 'meta_100', error_message: 'invalid' },
        { delivery_id: ids['tiktok:e1']!, status: 'pending', next_attempt_at: at1, attempt: attempt(at1, 'retryable', 503, 'http_503'), error_code: 'http_503', error_message: 'down' },
        { delivery_id: ids['tiktok:e2']!, status: 'pending', next_attempt_at: at1, attempt: attempt(at1, 'retryable', 503, 'http_503'), error_code: 'http_503', error_message: 'down' },
      ]);
      await store.release([ids['tiktok:order_103']!]);
      clock = T0 + 2 * MINUTE + 5_000;
      const at2 = T0 + 2 * MINUTE + 1_000;
      await store.claim('tiktok', 2, clock, 30_000);
      await store.complete([
        { delivery_id: ids['tiktok:e1']!, status: 'delivered', attempt: attempt(at2, 'delivered', 200) },
        { delivery_id: ids['tiktok:e2']!, status: 'dead', attempt: attempt(at2, 'retryable', 503, 'http_503'), error_code: 'http_503', error_message: 'down' },
      ]);
      await store.release([ids['tiktok:order_103']!]);
      return { store, ids };
    }

    it('activity: events in and outcomes per bucket, a dead row not also counted as retrying', async () => {
      const { store } = await seeded();
      if (!store.activity) return;
      const a = await store.activity({ from: T0, to: T0 + 3 * MINUTE, bucket_ms: MINUTE });
      expect(a.events_in).toEqual([{ bucket: 0, n: 3 }]);
      const rows = a.deliveries.map((d) => `${d.bucket} ${d.destination_id} ${d.outcome} ${d.n}`).sort();
      expect(rows).toEqual(['1 meta delivered 2', '1 meta rejected 1', '1 tiktok retrying 2', '2 tiktok dead 1', '2 tiktok delivered 1'].sort());
      // Nothing outside the window.
      const later = await store.activity({ from: T0 + 3 * MINUTE, to: T0 + 4 * MINUTE, bucket_ms: MINUTE });
      expect(later).toEqual({ events_in: [], deliveries: [] });
    });

    it('inspectEvents: by event_id, by order id and by commerce.order_id, with deliveries and attempts', async () => {
      const { store, ids } = await seeded();
      if (!store.inspectEvents) return;
      const [e1] = await store.inspectEvents('e1');
      expect(e1!.event.event_id).toBe('e1');
      const tiktok = e1!.deliveries.find((d) => d.destination_id === 'tiktok')!;
      expect(tiktok).toMatchObject({ delivery_id: ids['tiktok:e1'], status: 'delivered', attempts: 2 });
      expect(tiktok.attempt_log.map((a) => [a.outcome, a.http_status])).toEqual([
        ['retryable', 503],
        ['delivered', 200],
      ]);
      expect(e1!.deliveries.map((d) => d.destination_id)).toEqual(['meta', 'tiktok']);
      // `103` → order_103; `102` → the event whose commerce.order_id is 102.
      expect((await store.inspectEvents('103')).map((e) => e.event.event_id)).toEqual(['order_103']);
      expect((await store.inspectEvents('#103')).map((e) => e.event.event_id)).toEqual(['order_103']);
      expect((await store.inspectEvents('102')).map((e) => e.event.event_id)).toEqual(['e2']);
      expect(await store.inspectEvents('nope')).toEqual([]);
    });

    it('deadLetters: filters, paging, and the reasons', async () => {
      const { store } = await seeded();
      if (!store.deadLetters) return;
      const all = await store.deadLetters({ limit: 10, offset: 0 });
      expect(all.total).toBe(2);
      expect(all.rows.map((r) => `${r.event_id} ${r.destination_id} ${r.status} ${r.error_code}`)).toEqual(['e2 tiktok dead http_503', 'order_103 meta rejected meta_100']);
      expect(all.reasons).toEqual([
        { error_code: 'http_503', n: 1 },
        { error_code: 'meta_100', n: 1 },
      ]);
      expect((await store.deadLetters({ status: 'rejected', limit: 10, offset: 0 })).rows.map((r) => r.event_id)).toEqual(['order_103']);
      expect((await store.deadLetters({ platform: 'tiktok', limit: 10, offset: 0 })).total).toBe(1);
      expect((await store.deadLetters({ destination_id: 'meta', error_code: 'http_503', limit: 10, offset: 0 })).total).toBe(0);
      const page = await store.deadLetters({ limit: 1, offset: 1 });
      expect([page.total, page.rows.map((r) => r.event_id)]).toEqual([2, ['order_103']]);
      expect((await store.deadLetters({ from: T0 + 2 * MINUTE, limit: 10, offset: 0 })).rows.map((r) => r.event_id)).toEqual(['e2']);
      expect((await store.deadLetters({ to: T0 + 2 * MINUTE, limit: 10, offset: 0 })).rows.map((r) => r.event_id)).toEqual(['order_103']);
      // A replayed row leaves the list.
      await store.replay({ status: 'dead', delivery_ids: [all.rows[0]!.delivery_id] });
      expect((await store.deadLetters({ limit: 10, offset: 0 })).total).toBe(1);
    });

    it('a delivered browser row taken over by its server copy keeps its attempt in the log, counted once', async () => {
      const store = await makeStore({ now: () => clock });
      await store.migrate();
      open.push(store);
      const browser: IngestItem = { event: hashedEvent({ event_id: 'b1' }), source: 'browser', test: false, deliveries: [META] };
      await store.ingest([browser]);
      clock = T0 + MINUTE + 5_000;
      const [row] = await store.claim('meta', 10, clock, 30_000);
      await store.complete([{ delivery_id: row!.delivery_id, status: 'delivered', attempt: attempt(T0 + MINUTE + 1_000, 'delivered', 200, 'fbtrace') }]);
      clock = T0 + 2 * MINUTE + 5_000;
      await store.ingest([{ ...browser, source: 'api' }]);
      const events = store.inspectEvents ? await store.inspectEvents('b1') : [];
      if (store.inspectEvents) {
        const log = events.flatMap((e) => e.deliveries).flatMap((d) => d.attempt_log);
        expect(log).toEqual([attempt(T0 + MINUTE + 1_000, 'delivered', 200, 'fbtrace')]);
        expect(events.find((e) => e.source === 'api')!.deliveries).toMatchObject([{ destination_id: 'meta', status: 'pending', attempts: 0 }]);
      }
      if (store.activity) {
        const a = await store.activity({ from: T0, to: T0 + 3 * MINUTE, bucket_ms: MINUTE });
        expect(a.deliveries.map((d) => `${d.bucket} ${d.destination_id} ${d.outcome} ${d.n}`)).toEqual(['1 meta delivered 1']);
      }
    });
  });
}
