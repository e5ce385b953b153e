import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedEvent } from '../../src/outbox/contract.js';
import { PostgresOutboxStore } from '../../src/outbox/postgres/store.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/outbox/postgres/testing/database.js';
import type { IngestItem } from '../../src/outbox/types.js';

// A client re-sending a batch while the worker completes the same rows: the ingest statement used to lock every
// existing row of a re-sent event (ON CONFLICT DO UPDATE locks even when its WHERE fails) in (destination_id,
// event_id) order while the completion locked them in id order, and PostgreSQL broke the cycle by failing one
// (deadlock detected). Now a re-sent event locks only a row it may take over (skipped for a deferred reason).

let db: ScratchDatabase;
let store: PostgresOutboxStore;
let other: pg.Client;
let probe: pg.Client;
const clock = 1_000_000;

function item(eventId: string): IngestItem {
  return { event: hashedEvent({ event_id: eventId }), source: 'api', test: false, deliveries: [{ destination_id: 'meta', platform: 'meta', status: 'pending' }] };
}

/** Statements of this database waiting on a lock right now. */
async function lockWaits(): Promise<number> {
  const { rows } = await probe.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
  return (rows[0] as { n: number }).n;
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

describe('PostgreSQL: re-sent events and the worker on the same rows', () => {
  it('a re-sent event neither waits on nor changes a pending row that another transaction holds', async () => {
    await store.ingest([item('order_b')]);
    const [claimed] = await store.claim('meta', 10, clock, 60_000);
    // The worker's completion of this row is in progress (its transaction holds the row).
    await other.query('BEGIN');
    await other.query("SELECT 1 FROM deliveries WHERE event_id = 'order_b' FOR UPDATE");
    try {
      let settled = false;
      const resent = store.ingest([item('order_b')]).finally(() => (settled = true));
      let waited = false;
      while (!settled && !waited) {
        waited = (await lockWaits()) > 0;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(waited).toBe(false);
      expect((await resent).items).toEqual([{ stored: false, deliveries_created: 0 }]);
    } finally {
      await other.query('COMMIT');
    }
    const { rows } = await probe.query("SELECT id, status, lease_until FROM deliveries WHERE event_id = 'order_b'");
    expect(rows).toEqual([{ id: String(claimed!.delivery_id), status: 'pending', lease_until: String(clock + 60_000) }]);
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
