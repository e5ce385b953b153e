import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleStoredEvents } from '../../src/diagnostics/sample.js';
import { openHistoryStore } from '../../src/diagnostics/history/open.js';
import { gatewayDiagnoser, gatewayReads } from '../../src/diagnostics/diagnose-in-thread.js';
import { reconcile, resolveWindow } from '../../src/reconcile/run.js';
import { takeDailySnapshotWith } from '../../src/diagnostics/history/snapshot.js';
import { utcDay } from '../../src/diagnostics/history/days.js';
import { hashedEvent } from '../../src/outbox/contract.js';
import { sampleKey } from '../../src/outbox/event-scan.js';
import { openEventReader, openStore } from '../../src/outbox/open.js';
import type { OutboxStore } from '../../src/outbox/types.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/outbox/postgres/testing/database.js';

// The daily snapshot on PostgreSQL: read through a plain one-connection pool (no migration, no writes) in a worker
// thread, the sample computed in SQL with the same key as in JavaScript.
let db: ScratchDatabase;
let store: OutboxStore;
const now = Date.now();
const EVENTS = 300;

beforeAll(async () => {
  db = await createScratchDatabase();
  store = await openStore(db.url);
  await store.ingest(
    Array.from({ length: EVENTS }, (_, i) => ({
      event: hashedEvent({ event_id: `order_${i}`, event_time: Math.floor(now / 1000) - 60, user: i % 2 ? { em: ['a'.repeat(64)] } : { client_ip_address: '203.0.113.9' } }),
      source: 'api' as const,
      test: false,
      deliveries: [],
    })),
  );
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

describe('diagnostics snapshot on PostgreSQL', () => {
  it("takes the day's snapshot in a worker thread and stores it through the gateway's history store", async () => {
    const history = await openHistoryStore(db.url);
    try {
      const day = utcDay(now);
      await takeDailySnapshotWith(gatewayDiagnoser(store, db.url, [PLATFORMS.meta.placeholderSettings]), history, day, now);
      const [snapshot] = await history.listSnapshots();
      expect(snapshot).toMatchObject({ day, platform: 'meta', events: EVENTS, coverage: { em: 0.5 }, sample: { rate: 1, events_seen: EVENTS, events_diagnosed: EVENTS } });
    } finally {
      await history.close();
    }
  });

  it('samples in SQL exactly the event_ids whose JavaScript sample key is below the bound', async () => {
    const reader = await openEventReader(db.url);
    try {
      const { events, sample } = await sampleStoredEvents(reader, { from: now - 3_600_000, to: now + 3_600_000 }, { maxEvents: 100 });
      expect(sample.rate).toBeLessThan(1);
      const expected = Array.from({ length: EVENTS }, (_, i) => `order_${i}`).filter((id) => sampleKey(id) < 2 ** 32 * sample.rate);
      expect(events.map((e) => e.event.event_id).sort()).toEqual(expected.sort());
      expect(sample).toMatchObject({ events_seen: EVENTS, events_diagnosed: expected.length });
    } finally {
      await reader.close();
    }
  });
});

describe('reconciliation on PostgreSQL in the read thread', () => {
  it('gives the report the calling thread gives, the order log read through a one-connection pool', async () => {
    const day = new Date(now).toISOString().slice(0, 10);
    for (const id of ['201', '202']) {
      await store.ingest(
        [{ event: hashedEvent({ event_id: `order_${id}`, event_time: Math.floor(now / 1000) - 60, commerce: { value: 5, currency: 'EUR', order_id: id } }), source: 'shopify', test: false, deliveries: [{ destination_id: 'meta', platform: 'meta', status: 'pending' }] }],
        { order: { order_id: id, topic: 'orders/paid', occurred_at: now - 60_000, total: 5, currency: 'EUR', test: false, financial_status: 'paid' } },
      );
    }
    const input = { window: resolveWindow({ from: day, to: day, as_of: day }), orders: 'internal' as const, attributed: [] };
    const there = await gatewayReads(store, db.url, []).reconcile(input);
    expect(there).toEqual(await reconcile({ ...input, store }));
    expect(there.orders_of_record.count).toBe(2);
    expect(there.delivery.meta).toMatchObject({ pending: 2, never_accepted_total: 2 });
  });
});
