import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { hashedEvent } from '../contract.js';
import { loadMigrations, runMigrations } from './migrate.js';
import { MAX_DESTINATION_NUMBERS } from './queued-delivery.js';
import { SqliteOutboxStore } from './store.js';
import { pendingItem, scratchFiles } from './testing/scratch.js';

// First tries wait as queue entries (migration 009), not rows: what a store reader and the worker see must not
// tell the two apart, and a delivery keeps one id from its entry to its row.

const scratch = scratchFiles('mk-queue-');
const dbFile = scratch.file;
const item = pendingItem;
afterAll(scratch.removeAll);

function rowsAndEntries(file: string): { rows: number; entries: number } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      rows: db.prepare('SELECT count(*) FROM deliveries').pluck().get() as number,
      entries: db.prepare('SELECT count(*) FROM delivery_queue').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

const attempt = (at: number, outcome = 'delivered') => ({ at, latency_ms: 12, http_status: outcome === 'delivered' ? 200 : 503, outcome });

describe('SQLite delivery queue', () => {
  it('queues first tries without a row; a delivery keeps its id from entry to row, through a retry, with its attempts', async () => {
    const file = dbFile();
    let clock = 1_000_000;
    const s = new SqliteOutboxStore(file, { now: () => clock });
    await s.migrate();
    try {
      expect((await s.ingest([item('o1', ['meta', 'tiktok'])])).items).toEqual([{ stored: true, deliveries_created: 2 }]);
      expect(rowsAndEntries(file)).toEqual({ rows: 0, entries: 2 });
      // A re-sent copy finds its deliveries queued: nothing new.
      expect((await s.ingest([item('o1', ['meta', 'tiktok'])])).items).toEqual([{ stored: false, deliveries_created: 0 }]);

      const [inspected] = await s.inspectEvents('o1');
      const queuedMeta = inspected!.deliveries.find((d) => d.destination_id === 'meta')!;
      expect(queuedMeta).toMatchObject({ status: 'pending', attempts: 0, created_at: clock, next_attempt_at: clock, attempt_log: [] });
      expect(queuedMeta.delivery_id).toBeLessThan(0);

      const [claimed] = await s.claim('meta', 10, clock, 60_000);
      expect(claimed).toMatchObject({ delivery_id: queuedMeta.delivery_id, attempts: 0, created_at: clock, event: { event_id: 'o1' } });
      expect((await s.inspectEvents('o1'))[0]!.deliveries.find((d) => d.destination_id === 'meta')).toMatchObject({ next_attempt_at: clock + 60_000 });
      expect(await s.claim('meta', 10, clock, 60_000)).toEqual([]);
      expect(await s.nextDueAt('meta')).toBe(clock + 60_000);

      await s.complete([
        { delivery_id: claimed!.delivery_id, status: 'pending', next_attempt_at: clock + 5000, attempt: attempt(clock, 'retryable'), error_code: 'http_503', error_message: 'busy' },
      ]);
      expect(rowsAndEntries(file)).toEqual({ rows: 1, entries: 1 });
      expect((await s.counts(clock)).find((c) => c.destination_id === 'meta')).toMatchObject({ pending: 0, retrying: 1, delivered: 0 });
      expect(await s.nextDueAt('meta')).toBe(clock + 5000);

      clock += 5000;
      const [again] = await s.claim('meta', 10, clock, 60_000);
      expect(again).toMatchObject({ delivery_id: claimed!.delivery_id, attempts: 1, first_attempt_at: clock - 5000 });
      await s.complete([{ delivery_id: again!.delivery_id, status: 'delivered', attempt: attempt(clock) }]);
      const meta = (await s.inspectEvents('o1'))[0]!.deliveries.find((d) => d.destination_id === 'meta')!;
      expect(meta).toMatchObject({ delivery_id: claimed!.delivery_id, status: 'delivered', attempts: 2, created_at: clock - 5000, finished_at: clock });
      expect(meta.attempt_log.map((a) => a.outcome)).toEqual(['retryable', 'delivered']);

      // Delivered at its first try: the row it gets holds the attempt, under the entry's id.
      const [tiktok] = await s.claim('tiktok', 10, clock, 60_000);
      await s.complete([{ delivery_id: tiktok!.delivery_id, status: 'delivered', attempt: attempt(clock) }]);
      expect(rowsAndEntries(file)).toEqual({ rows: 2, entries: 0 });
      const tk = (await s.inspectEvents('o1'))[0]!.deliveries.find((d) => d.destination_id === 'tiktok')!;
      expect(tk).toMatchObject({ delivery_id: tiktok!.delivery_id, status: 'delivered', attempts: 1 });
      expect(tk.attempt_log).toEqual([{ at: clock, latency_ms: 12, http_status: 200, outcome: 'delivered' }]);
      expect((await s.counts(clock)).map((c) => [c.destination_id, c.pending, c.retrying, c.delivered])).toEqual([
        ['meta', 0, 0, 1],
        ['tiktok', 0, 0, 1],
      ]);
      // A copy re-sent after delivery is absorbed by the row, as before.
      expect((await s.ingest([item('o1', ['meta', 'tiktok'])])).items).toEqual([{ stored: false, deliveries_created: 0 }]);
    } finally {
      await s.close();
    }
  });

  it('lets the server copy take over a queued browser first try, and reads it in reconciliation and the inspector', async () => {
    const file = dbFile();
    let clock = 1_000_000;
    const s = new SqliteOutboxStore(file, { now: () => clock });
    await s.migrate();
    try {
      await s.ingest([item('order_1', ['meta'], 'browser'), item('order_2', ['meta'])]);
      const browserId = (await s.inspectEvents('order_1'))[0]!.deliveries[0]!.delivery_id;
      expect(await s.purchaseDeliveryOutcomes(['order_1', 'order_2'])).toMatchObject([
        { event_id: 'order_1', destination_id: 'meta', status: 'pending', attempts: 0 },
        { event_id: 'order_2', destination_id: 'meta', status: 'pending', attempts: 0 },
      ]);
      clock += 10;
      expect((await s.ingest([item('order_1', ['meta'], 'shopify')])).items).toEqual([{ stored: true, deliveries_created: 1 }]);
      expect((await s.counts(clock)).find((c) => c.destination_id === 'meta')).toMatchObject({ pending: 2, retrying: 0 });
      const legs = await s.inspectEvents('order_1');
      // The browser leg's entry is gone; the server copy's row has its id.
      expect(legs.map((e) => [e.source, e.deliveries.map((d) => [d.delivery_id, d.status])]).sort()).toEqual([
        ['browser', []],
        ['shopify', [[browserId, 'pending']]],
      ]);
      const claimed = await s.claim('meta', 10, clock, 60_000);
      expect(claimed.map((c) => [c.event.event_id, c.delivery_id])).toEqual([
        ['order_1', browserId],
        ['order_2', claimed[1]!.delivery_id],
      ]);
      const outcomes = await s.deliveryOutcomes({ from: 0, to: Date.now() + 86_400_000 });
      expect(outcomes.map((o) => [o.event_id, o.status]).sort()).toEqual([
        ['order_1', 'pending'],
        ['order_2', 'pending'],
      ]);
    } finally {
      await s.close();
    }
  });

  it('makes entries leased by a gateway that stopped due again when the next one takes the file over', async () => {
    const file = dbFile();
    const clock = 1_000_000;
    const first = new SqliteOutboxStore(file, { now: () => clock });
    await first.migrate();
    await first.ingest([item('a'), item('b')]);
    expect(await first.claim('meta', 10, clock, 600_000)).toHaveLength(2);
    await first.close(); // stopped with both leased
    const next = new SqliteOutboxStore(file, { now: () => clock });
    await next.migrate();
    try {
      expect(await next.claim('meta', 10, clock, 60_000)).toEqual([]);
      expect(await next.takeOwnership()).toBe(2);
      expect((await next.claim('meta', 10, clock, 60_000)).map((c) => c.event.event_id)).toEqual(['a', 'b']);
    } finally {
      await next.close();
    }
  });

  it('claims the queue of a destination another writer of the file numbered after this one started', async () => {
    const file = dbFile();
    const clock = 1_000_000;
    const first = new SqliteOutboxStore(file, { now: () => clock });
    await first.migrate();
    const second = new SqliteOutboxStore(file, { now: () => clock });
    await second.migrate();
    try {
      await first.ingest([item('a', ['pinterest'])]);
      expect((await second.claim('pinterest', 10, clock, 60_000)).map((c) => c.event.event_id)).toEqual(['a']);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('upgrades a file with pending rows: they are claimed (before queued first tries) and completed as before', async () => {
    const file = dbFile();
    const db = new Database(file);
    runMigrations(db, loadMigrations().filter((m) => m.version <= 8));
    db.prepare(`INSERT INTO events (id, event_id, event_name, source, test, received_at, body) VALUES (1, 'old', 'purchase', 'shopify', 0, 500, ?)`).run(
      JSON.stringify(hashedEvent({ event_id: 'old' })),
    );
    db.prepare(`INSERT INTO deliveries (id, event_ref, destination_id, platform, status, created_at, next_attempt_at) VALUES (1, 1, 'meta', 'meta', 'pending', 500, 500)`).run();
    db.prepare(`INSERT INTO delivery_backlog (destination_id, retrying, platform, n) VALUES ('meta', 0, 'meta', 1)`).run();
    db.close();

    let clock = 1_000_000;
    const s = new SqliteOutboxStore(file, { now: () => clock });
    await s.migrate();
    try {
      await s.ingest([item('new')]);
      expect((await s.counts(clock)).find((c) => c.destination_id === 'meta')).toMatchObject({ pending: 2, oldest_pending_ms: clock - 500 });
      const claimed = await s.claim('meta', 10, clock, 60_000);
      expect(claimed.map((c) => [c.event.event_id, c.delivery_id > 0])).toEqual([
        ['old', true],
        ['new', false],
      ]);
      clock += 1;
      await s.complete(claimed.map((c) => ({ delivery_id: c.delivery_id, status: 'delivered' as const, attempt: attempt(clock) })));
      expect((await s.counts(clock)).find((c) => c.destination_id === 'meta')).toMatchObject({ pending: 0, delivered: 2, oldest_pending_ms: 0 });
      expect(rowsAndEntries(file)).toEqual({ rows: 2, entries: 0 });
    } finally {
      await s.close();
    }
  });

  it('falls back to rows once destination numbers run out', async () => {
    const file = dbFile();
    const db = new Database(file);
    runMigrations(db);
    db.prepare(`INSERT INTO destination_numbers (no, destination_id, platform) VALUES (?, 'gone', 'meta')`).run(MAX_DESTINATION_NUMBERS - 1);
    db.close();
    const clock = 1_000_000;
    const s = new SqliteOutboxStore(file, { now: () => clock });
    await s.migrate();
    try {
      await s.ingest([item('a', ['meta'])]);
      expect(rowsAndEntries(file)).toEqual({ rows: 1, entries: 0 });
      const [claimed] = await s.claim('meta', 10, clock, 60_000);
      expect(claimed!.delivery_id).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });
});
