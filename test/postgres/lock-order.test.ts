import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedEvent } from '../../src/outbox/contract.js';
import { PostgresOutboxStore } from '../../src/outbox/postgres/store.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/outbox/postgres/testing/database.js';
import type { IngestItem } from '../../src/outbox/types.js';

// Statements that wait on delivery rows must take them in one order, or two of them can each hold a row the other
// needs: PostgreSQL then fails one with a deadlock error. The ingest locks an existing row (a re-sent event
// conflicting with it) in (destination_id, event_id) order; completion, lease renewal, release and replay must lock
// in that order too, not in id order. Here the ids run the other way round from the event ids.

let db: ScratchDatabase;
let store: PostgresOutboxStore;
let other: pg.Client;
let probe: pg.Client;
const clock = 1_000_000;

function item(eventId: string): IngestItem {
  return { event: hashedEvent({ event_id: eventId }), source: 'api', test: false, deliveries: [{ destination_id: 'meta', platform: 'meta', status: 'pending' }] };
}

async function waitUntilBlocked(client: pg.Client): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
    if ((rows[0] as { n: number }).n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no statement ever waited on a lock');
}

/** Whether the row of `eventId` is free to lock right now (NOWAIT: an error means someone holds it). */
async function isFree(eventId: string): Promise<boolean> {
  await probe.query('BEGIN');
  try {
    await probe.query("SELECT 1 FROM deliveries WHERE event_id = $1 AND destination_id = 'meta' FOR UPDATE NOWAIT", [eventId]);
    return true;
  } catch (err) {
    expect((err as { code?: string }).code).toBe('55P03'); // lock_not_available
    return false;
  } finally {
    await probe.query('ROLLBACK');
  }
}

beforeAll(async () => {
  db = await createScratchDatabase();
  store = new PostgresOutboxStore(db.url, { secretKey: randomBytes(32), poolSize: 4, now: () => clock });
  await store.migrate();
  other = new pg.Client({ connectionString: db.url });
  probe = new pg.Client({ connectionString: db.url });
  await other.connect();
  await probe.connect();
});

afterAll(async () => {
  await other?.end();
  await probe?.end();
  await store?.close();
  await db?.drop();
});

describe('PostgreSQL row lock order', () => {
  it('completion locks rows in (destination_id, event_id) order, not in id order', async () => {
    // order_b gets the lower id, order_a the higher one.
    await store.ingest([item('order_b')]);
    await store.ingest([item('order_a')]);
    const claimed = await store.claim('meta', 10, clock, 60_000);
    expect(claimed.map((c) => c.event.event_id).sort()).toEqual(['order_a', 'order_b']);

    // Another transaction holds order_b (as an ingest of a re-sent order_b would).
    await other.query('BEGIN');
    await other.query("SELECT 1 FROM deliveries WHERE event_id = 'order_b' FOR UPDATE");
    const attempt = { at: clock, latency_ms: 5, http_status: 200, outcome: 'delivered' };
    const completing = store.complete(claimed.map((c) => ({ delivery_id: c.delivery_id, status: 'delivered' as const, attempt })));
    await waitUntilBlocked(probe);
    // Waiting for order_b, the completion already holds order_a: it went in key order. In id order it would be
    // waiting for order_b first and hold nothing, and an ingest locking order_a then order_b could deadlock with it.
    expect(await isFree('order_a')).toBe(false);
    await other.query('COMMIT');
    await completing;
    const { rows } = await probe.query("SELECT event_id, status FROM deliveries ORDER BY event_id");
    expect(rows).toEqual([
      { event_id: 'order_a', status: 'delivered' },
      { event_id: 'order_b', status: 'delivered' },
    ]);
  });

  it('a re-sent batch and the completion of the same rows never deadlock', async () => {
    // Many rows whose id order is the reverse of their key order, completed while the same events are re-sent.
    const ids = Array.from({ length: 200 }, (_, i) => `order_r${String(999 - i).padStart(4, '0')}`);
    for (const id of ids) await store.ingest([item(id)]);
    for (let round = 0; round < 5; round++) {
      const claimed = await store.claim('meta', 500, clock, 60_000);
      const attempt = { at: clock, latency_ms: 5, http_status: 500, outcome: 'retryable' };
      await Promise.all([
        store.complete(claimed.map((c) => ({ delivery_id: c.delivery_id, status: 'pending' as const, next_attempt_at: clock, attempt, error_code: 'http_500', error_message: 'server error' }))),
        store.ingest(ids.map(item)),
        store.ingest([...ids].reverse().map(item)),
      ]);
    }
    const { rows } = await probe.query("SELECT count(*)::int AS n FROM deliveries WHERE event_id LIKE 'order_r%'");
    expect((rows[0] as { n: number }).n).toBe(200);
  });
});
