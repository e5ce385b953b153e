import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadMigrations, runMigrations } from './migrate.js';
import { PostgresOutboxStore } from './store.js';
import { createScratchDatabase, type ScratchDatabase } from './testing/database.js';

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
});
