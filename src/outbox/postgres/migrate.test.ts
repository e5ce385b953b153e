import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { parseCanonicalEvent } from '../../event/parse.js';
import { hashOnce } from '../../identity/hash-once.js';
import type { HashedEvent } from '../../identity/types.js';
import type { IngestItem } from '../types.js';
import { loadMigrations, runMigrations } from './migrate.js';
import { PostgresOutboxStore } from './store.js';
import { createScratchDatabase, type ScratchDatabase } from './testing/database.js';
import { FULL_USER, hashedPurchase } from '../testing/hashed-purchase.js';

/** A purchase with every identity field hashed (hashOnce), several of them to one value (em, em_reddit). */
const purchase = (eventId: string): HashedEvent => hashedPurchase(FULL_USER, eventId);

/** The event as the store gives it back: without the raw contact, which is never stored in the body. */
function withoutContact(event: HashedEvent): HashedEvent {
  const { contact: _contact, ...rest } = event;
  return rest;
}

const HEX64 = /[0-9a-f]{64}/;

let db: ScratchDatabase;
beforeAll(async () => {
  db = await createScratchDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('PostgreSQL migrations', () => {
  it('are numbered and ordered', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual([...migrations.keys()].map((i) => i + 1));
  });

  it('run once when three instances start at the same time, and are a no-op afterwards', async () => {
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: db.url, max: 2 }));
    try {
      const applied = await Promise.all(pools.map((p) => runMigrations(p)));
      const all = loadMigrations().map((m) => m.version);
      expect(applied.flat().sort()).toEqual(all);
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
      expect(await runMigrations(pools[0]!)).toEqual([]);
      const { rows } = await pools[0]!.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(all);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('upgrade a database holding rows of the first schema: each delivery keeps sending its event', async () => {
    const upgraded = await createScratchDatabase();
    const pool = new pg.Pool({ connectionString: upgraded.url, max: 2 });
    const store = new PostgresOutboxStore(upgraded.url, { poolSize: 2 });
    try {
      await runMigrations(pool, loadMigrations().filter((m) => m.version === 1));
      await pool.query(
        "INSERT INTO events (event_id, event_name, source, test, event_time, received_at, body) VALUES ('order_1', 'purchase', 'shopify', false, 1, 1, '{\"event_id\":\"order_1\"}')",
      );
      await pool.query("INSERT INTO deliveries (event_id, destination_id, platform, status, created_at, next_attempt_at) VALUES ('order_1', 'meta', 'meta', 'pending', 1, 1)");
      await store.migrate();
      const { rows } = await pool.query('SELECT event_source FROM deliveries');
      expect(rows).toEqual([{ event_source: 'shopify' }]);
      const [claimed] = await store.claim('meta', 10, 10, 1000);
      expect(claimed!.event.event_id).toBe('order_1');
    } finally {
      await store.close();
      await pool.end();
      await upgraded.drop();
    }
  });

  it('004 counts the backlog already stored, so counts() is right from the first reading after the upgrade; 005 counts it again', async () => {
    const upgraded = await createScratchDatabase();
    const pool = new pg.Pool({ connectionString: upgraded.url, max: 2 });
    const store = new PostgresOutboxStore(upgraded.url, { poolSize: 2 });
    try {
      await runMigrations(pool, loadMigrations().filter((m) => m.version < 4));
      await pool.query(
        `INSERT INTO deliveries (event_id, event_source, destination_id, platform, status, attempts, created_at, next_attempt_at) VALUES
           ('e1', 'api', 'meta', 'meta', 'pending', 0, 1000, 1000), ('e2', 'api', 'meta', 'meta', 'pending', 3, 500, 9000),
           ('e3', 'api', 'meta', 'meta', 'delivered', 1, 1, NULL), ('e1', 'api', 'tiktok', 'tiktok', 'pending', 0, 2000, 2000)`,
      );
      await runMigrations(pool, loadMigrations().filter((m) => m.version === 4));
      expect((await store.counts(5000)).map((c) => [c.destination_id, c.pending, c.retrying, c.oldest_pending_ms])).toEqual([
        ['meta', 1, 1, 4500],
        ['tiktok', 1, 0, 3000],
      ]);
      await pool.query("UPDATE deliveries SET status = 'dead' WHERE event_id = 'e2'");
      await pool.query("DELETE FROM deliveries WHERE destination_id = 'tiktok'");
      expect((await store.counts(5000)).map((c) => [c.destination_id, c.pending, c.retrying, c.oldest_pending_ms])).toEqual([['meta', 1, 0, 4000]]);
      // 005 drops the triggers (the store's statements count from then on) and counts the backlog again from the rows.
      await pool.query("INSERT INTO deliveries (event_id, event_source, destination_id, platform, status, attempts, created_at, next_attempt_at) VALUES ('e4', 'api', 'meta', 'meta', 'pending', 2, 3000, 3000)");
      await pool.query('DELETE FROM delivery_backlog');
      await store.migrate();
      expect((await store.counts(5000)).map((c) => [c.destination_id, c.pending, c.retrying, c.oldest_pending_ms])).toEqual([['meta', 1, 1, 4000]]);
    } finally {
      await store.close();
      await pool.end();
      await upgraded.drop();
    }
  });

  it('006: an event stored before, hex inline in its body and no hashes, reads back as it was stored', async () => {
    const upgraded = await createScratchDatabase();
    const pool = new pg.Pool({ connectionString: upgraded.url, max: 2 });
    const store = new PostgresOutboxStore(upgraded.url, { poolSize: 2 });
    try {
      await runMigrations(pool, loadMigrations().filter((m) => m.version < 6));
      // As the store wrote it before 006: the event's JSON (hashes in hex) without the contact.
      const legacy = withoutContact(purchase('web_1'));
      expect(JSON.stringify(legacy)).toMatch(HEX64);
      await pool.query(
        "INSERT INTO events (event_id, event_name, source, test, event_time, received_at, body) VALUES ('web_1', 'purchase', 'api', false, 1764326400, 1000, $1)",
        [JSON.stringify(legacy)],
      );
      await pool.query(
        "INSERT INTO deliveries (event_id, event_source, destination_id, platform, status, created_at, next_attempt_at) VALUES ('web_1', 'api', 'meta', 'meta', 'pending', 1000, 1000)",
      );
      await store.migrate();
      const { rows } = await pool.query('SELECT hashes FROM events');
      expect(rows).toEqual([{ hashes: null }]);

      expect((await store.listEvents()).map((e) => e.event)).toEqual([legacy]);
      expect((await store.scanEvents({ from: 0, to: 2000, limit: 10 })).events.map((e) => e.event)).toEqual([legacy]);
      // Found by its commerce.order_id (body::json, admin-recent-by-order-id.sql): not a hashed field.
      expect((await store.inspectEvents('1001')).map((e) => e.event)).toEqual([legacy]);
      const [claimed] = await store.claim('meta', 10, 2000, 1000);
      expect(claimed!.event).toEqual(legacy);
    } finally {
      await store.close();
      await pool.end();
      await upgraded.drop();
    }
  });

  it('006: an ingested event keeps its hashes in binary, out of its body, and every read gives the same hex back', async () => {
    const fresh = await createScratchDatabase();
    const pool = new pg.Pool({ connectionString: fresh.url, max: 2 });
    const store = new PostgresOutboxStore(fresh.url, { poolSize: 2, now: () => 1000 });
    try {
      await store.migrate();
      const events = [purchase('order_1001'), purchase('web_2')];
      // No hashed field: no hashes either (NULL).
      const anonymous = withoutContact(
        hashOnce(parseCanonicalEvent({ event_id: 'anon_1', event_name: 'page_view', event_time: 1764326400, user: { client_ip_address: '203.0.113.7' } })),
      );
      const items: IngestItem[] = [...events, anonymous].map((event) => ({
        event,
        source: 'api',
        test: false,
        deliveries: [{ destination_id: 'meta', platform: 'meta', status: 'pending' }],
      }));
      await store.ingest(items);

      const { rows } = await pool.query<{ event_id: string; body: string; hashes: Buffer | null }>('SELECT event_id, body, hashes FROM events ORDER BY event_id');
      expect(rows.map((r) => r.event_id)).toEqual(['anon_1', 'order_1001', 'web_2']);
      for (const r of rows) expect(r.body).not.toMatch(HEX64);
      expect(rows[0]!.hashes).toBeNull();
      for (const r of rows.slice(1)) {
        expect(r.hashes!.length % 32).toBe(0);
        // Each distinct hash once: fewer than the hashed fields (em and em_reddit are one value).
        const values = Object.values(events[0]!.user).flat().filter((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v));
        expect(r.hashes!.length).toBe(new Set(values).size * 32);
      }

      const expected = [...events.map(withoutContact), anonymous];
      const byId = (a: HashedEvent, b: HashedEvent) => a.event_id.localeCompare(b.event_id);
      const claimed = await store.claim('meta', 10, 2000, 1000);
      expect(claimed.map((c) => c.event).sort(byId)).toEqual([...expected].sort(byId));
      expect(claimed.find((c) => c.event.event_id === 'web_2')!.event.user.em).toEqual(events[1]!.user.em);
      expect((await store.listEvents()).map((e) => e.event).sort(byId)).toEqual([...expected].sort(byId));
      expect((await store.scanEvents({ from: 0, to: 2000, limit: 10 })).events.map((e) => e.event).sort(byId)).toEqual([...expected].sort(byId));
      // By event id (admin-events-by-id.sql), then by commerce.order_id in the body (admin-recent-by-order-id.sql).
      expect((await store.inspectEvents('order_1001')).map((e) => e.event)).toEqual([expected[0]]);
      expect((await store.inspectEvents('#1001')).map((e) => e.event.event_id).sort()).toEqual(['order_1001']);
    } finally {
      await store.close();
      await pool.end();
      await fresh.drop();
    }
  });
});
