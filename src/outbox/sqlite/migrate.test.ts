import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { hashedEvent } from '../contract.js';
import { SAMPLE_KEY_SPACE, sampleKey } from '../event-scan.js';
import { openStore } from '../open.js';
import type { OrderRecord, OutboxStore } from '../types.js';
import { loadMigrations, runMigrations } from './migrate.js';

describe('runMigrations', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('applies each numbered migration once, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-migrate-'));
    dirs.push(dir);
    const db = new Database(join(dir, 'm.db'));
    const all = loadMigrations();
    expect(all[0]?.version).toBe(1);
    expect(runMigrations(db)).toEqual(all.map((m) => m.version));
    expect(runMigrations(db)).toEqual([]);
    const extra = [...all, { version: 999, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' }];
    expect(runMigrations(db, extra)).toEqual([999]);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(extra.map((m) => m.version));
    db.close();
  });

  it('rolls a failing migration back with its version row', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-migrate-'));
    dirs.push(dir);
    const db = new Database(join(dir, 'm.db'));
    const bad = [{ version: 1, name: 'bad', sql: 'CREATE TABLE a (x INTEGER); CREATE TABLE a (y INTEGER);' }];
    expect(() => runMigrations(db, bad)).toThrow();
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(0);
    db.close();
  });

  it('002 keeps existing events and deliveries, backfills deliveries.event_id and lets both legs of one event_id be stored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-migrate-'));
    dirs.push(dir);
    const db = new Database(join(dir, 'm.db'));
    db.pragma('foreign_keys = OFF'); // as the store opens it
    const all = loadMigrations();
    runMigrations(db, all.filter((m) => m.version === 1));
    db.prepare("INSERT INTO events (id, event_id, event_name, source, test, received_at, body) VALUES (7, 'order_1', 'purchase', 'shopify', 0, 1, '{}')").run();
    db.prepare("INSERT INTO deliveries (event_ref, destination_id, platform, status, created_at) VALUES (7, 'meta', 'meta', 'delivered', 1)").run();
    // Up to 004: 005 drops deliveries.event_id again (one delivery per destination and event_id is the writer's).
    expect(runMigrations(db, all.filter((m) => m.version <= 4))).toEqual([2, 3, 4]);
    expect(db.prepare('SELECT event_ref, event_id FROM deliveries').all()).toEqual([{ event_ref: 7, event_id: 'order_1' }]);
    db.prepare("INSERT INTO events (event_id, event_name, source, test, received_at, body) VALUES ('order_1', 'purchase', 'browser', 0, 2, '{}')").run();
    expect(() => db.prepare("INSERT INTO events (event_id, event_name, source, test, received_at, body) VALUES ('order_1', 'purchase', 'browser', 0, 3, '{}')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO deliveries (event_ref, event_id, destination_id, platform, status, created_at) VALUES (8, 'order_1', 'meta', 'meta', 'pending', 2)").run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('004 counts the backlog already stored, per destination and first try or retry, and keeps counting it (until 005)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-migrate-'));
    dirs.push(dir);
    const db = new Database(join(dir, 'm.db'));
    db.pragma('foreign_keys = OFF');
    const all = loadMigrations();
    runMigrations(db, all.filter((m) => m.version < 4));
    const insert = db.prepare("INSERT INTO deliveries (event_ref, event_id, destination_id, platform, status, attempts, created_at) VALUES (1, ?, ?, ?, ?, ?, 1)");
    insert.run('e1', 'meta', 'meta', 'pending', 0);
    insert.run('e2', 'meta', 'meta', 'pending', 2);
    insert.run('e3', 'meta', 'meta', 'delivered', 1);
    insert.run('e1', 'tiktok', 'tiktok', 'pending', 0);
    expect(runMigrations(db, all.filter((m) => m.version === 4))).toEqual([4]);
    const backlog = () => db.prepare('SELECT destination_id, retrying, n FROM delivery_backlog ORDER BY destination_id, retrying').all();
    expect(backlog()).toEqual([
      { destination_id: 'meta', retrying: 0, n: 1 },
      { destination_id: 'meta', retrying: 1, n: 1 },
      { destination_id: 'tiktok', retrying: 0, n: 1 },
    ]);
    db.prepare("UPDATE deliveries SET status = 'dead' WHERE event_id = 'e2'").run();
    db.prepare("DELETE FROM deliveries WHERE destination_id = 'tiktok'").run();
    expect(backlog()).toEqual([
      { destination_id: 'meta', retrying: 0, n: 1 },
      { destination_id: 'meta', retrying: 1, n: 0 },
      { destination_id: 'tiktok', retrying: 0, n: 0 },
    ]);
    db.close();
  });

  it('005 carries a database written at 004 (every row state, both legs): the store reads and writes it as its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-migrate-'));
    dirs.push(dir);
    const path = join(dir, 'm.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    runMigrations(db, loadMigrations().filter((m) => m.version <= 4));
    const T = 1_800_000_000_000;
    const event = db.prepare('INSERT INTO events (id, event_id, event_name, source, test, received_at, body) VALUES (?, ?, ?, ?, 0, ?, ?)');
    const body = (eventId: string) => JSON.stringify(hashedEvent({ event_id: eventId, commerce: { value: 1, currency: 'USD', order_id: eventId } }));
    event.run(1, 'e1', 'purchase', 'api', T, body('e1'));
    event.run(2, 'e2', 'purchase', 'browser', T, body('e2'));
    event.run(3, 'e3', 'purchase', 'browser', T, body('e3'));
    const delivery = db.prepare(
      `INSERT INTO deliveries (id, event_ref, event_id, destination_id, platform, status, skip_reason, attempts, created_at, next_attempt_at,
         lease_until, first_attempt_at, last_attempt_at, finished_at, last_error_code, last_error_message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // e1 (api): delivered after a retry to meta, dead on tiktok, rejected on pinterest, skipped on google, retrying on
    // snapchat, never tried on reddit, leased on klaviyo. e2 (browser): delivered on meta. e3 (browser): pending on meta.
    delivery.run(1, 1, 'e1', 'meta', 'meta', 'delivered', null, 2, T, null, null, T + 1000, T + 2000, T + 2000, 'http_503', 'retry');
    delivery.run(2, 1, 'e1', 'tiktok', 'tiktok', 'dead', null, 3, T, null, null, T + 1000, T + 3000, T + 3000, 'http_500', 'gave up');
    delivery.run(3, 1, 'e1', 'pinterest', 'pinterest', 'rejected', null, 1, T, null, null, T + 1000, T + 1000, T + 1000, 'bad', 'refused');
    delivery.run(4, 1, 'e1', 'google', 'google', 'skipped', 'consent', 0, T, null, null, null, null, T, null, null);
    delivery.run(5, 1, 'e1', 'snapchat', 'snapchat', 'pending', null, 1, T, T + 9000, null, T + 1000, T + 1000, null, 'http_503', 'retry');
    delivery.run(6, 1, 'e1', 'reddit', 'reddit', 'pending', null, 0, T, T, null, null, null, null, null, null);
    delivery.run(7, 1, 'e1', 'klaviyo', 'klaviyo', 'pending', null, 0, T, T + 60_000, T + 60_000, null, null, null, null, null);
    delivery.run(8, 2, 'e2', 'meta', 'meta', 'delivered', null, 1, T, null, null, T + 1000, T + 1000, T + 1000, null, null);
    delivery.run(9, 3, 'e3', 'meta', 'meta', 'pending', null, 0, T, T, null, null, null, null, null, null);
    const attempt = db.prepare('INSERT INTO attempts (delivery_id, at, latency_ms, http_status, outcome, platform_code, message) VALUES (?, ?, 40, ?, ?, NULL, NULL)');
    attempt.run(1, T + 1000, 503, 'retryable');
    attempt.run(1, T + 2000, 200, 'delivered');
    attempt.run(8, T + 1000, 200, 'delivered');
    for (const [d, status] of [['meta', 'delivered'], ['meta', 'delivered'], ['tiktok', 'dead'], ['pinterest', 'rejected'], ['google', 'skipped']] as const) {
      db.prepare('INSERT INTO delivery_totals (destination_id, status, platform, n) VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1').run(d, status, d);
    }
    db.close();

    const store: OutboxStore = await openStore(`sqlite:${path}`, { now: () => T + 5000 });
    try {
      const counts = Object.fromEntries((await store.counts(T + 5000)).map((c) => [c.destination_id, [c.pending, c.retrying, c.delivered, c.rejected, c.dead, c.skipped]]));
      expect(counts).toEqual({
        google: [0, 0, 0, 0, 0, 1],
        klaviyo: [1, 0, 0, 0, 0, 0],
        meta: [1, 0, 2, 0, 0, 0],
        pinterest: [0, 0, 0, 1, 0, 0],
        reddit: [1, 0, 0, 0, 0, 0],
        snapchat: [0, 1, 0, 0, 0, 0],
        tiktok: [0, 0, 0, 0, 1, 0],
      });
      const [e1] = await store.inspectEvents!('e1');
      const meta = e1!.deliveries.find((d) => d.destination_id === 'meta')!;
      expect(meta.attempt_log.map((a) => [a.outcome, a.http_status])).toEqual([['retryable', 503], ['delivered', 200]]);
      expect((await store.deadLetters!({ limit: 10, offset: 0 })).rows.map((r) => `${r.event_id} ${r.destination_id} ${r.status}`)).toEqual(['e1 tiktok dead', 'e1 pinterest rejected']);
      const activity = await store.activity!({ from: T, to: T + 60_000, bucket_ms: 60_000 });
      expect(activity.deliveries.filter((d) => d.outcome === 'delivered').map((d) => `${d.destination_id} ${d.n}`).sort()).toEqual(['meta 2']);

      // One delivery per (destination, event_id) still holds on the migrated rows: the api twin of e2 is absorbed on
      // meta's delivered row only by taking it over (the server copy wins); e1 sent again creates nothing.
      const again = await store.ingest([{ event: hashedEvent({ event_id: 'e1' }), source: 'shopify', test: false, deliveries: [{ destination_id: 'meta', platform: 'meta', status: 'pending' }] }]);
      expect(again.items[0]!.deliveries_created).toBe(0);
      const twin = await store.ingest([{ event: hashedEvent({ event_id: 'e2' }), source: 'api', test: false, deliveries: [{ destination_id: 'meta', platform: 'meta', status: 'pending' }] }]);
      expect(twin.items[0]!.deliveries_created).toBe(1);
      const metaCounts = (await store.counts(T + 5000)).find((c) => c.destination_id === 'meta')!;
      expect([metaCounts.pending, metaCounts.delivered]).toEqual([2, 1]);
      // Claims and completions run on the migrated rows; the success is folded onto its row and read back.
      const claimed = await store.claim('reddit', 10, T + 5000, 60_000);
      expect(claimed.map((c) => c.delivery_id)).toEqual([6]);
      await store.complete([{ delivery_id: 6, status: 'delivered', attempt: { at: T + 5000, latency_ms: 12, http_status: 200, outcome: 'delivered' } }]);
      const after = (await store.inspectEvents!('e1')).find((e) => e.source === 'api');
      expect(after!.deliveries.find((d) => d.destination_id === 'reddit')!.attempt_log).toEqual([{ at: T + 5000, latency_ms: 12, http_status: 200, outcome: 'delivered' }]);
      expect((await store.counts(T + 5000)).find((c) => c.destination_id === 'reddit')).toMatchObject({ pending: 0, delivered: 1 });
    } finally {
      await store.close();
    }
  });
  it('006 gives the orders written at 005 the sample key of their purchase event_id: sampled reads as sampleKey() picks them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-migrate-'));
    dirs.push(dir);
    const path = join(dir, 'm.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    runMigrations(db, loadMigrations().filter((m) => m.version <= 5));
    const T = 1_800_000_000_000;
    const insert = db.prepare(
      `INSERT INTO orders (order_id, topic, name, occurred_at, total, currency, test, financial_status, refunded_amount, received_at)
       VALUES (?, ?, ?, ?, 10, 'EUR', ?, ?, ?, ?)`,
    );
    // 300 orders paid a minute apart (ids of every shape a shop sends: numbers, GIDs, non-ASCII), a test order, a
    // refund and a cancellation of some of them: each order's records must stay in or out of a sample together.
    const ids = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? String(5_000_000 + i) : i % 3 === 1 ? `gid://shopify/Order/${i}` : `commande-été-${i}`));
    for (const [i, id] of ids.entries()) {
      insert.run(id, 'orders/paid', `#${i}`, T + i * 60_000, i === 7 ? 1 : null, 'paid', null, T);
      if (i % 10 === 0) insert.run(id, 'refunds/create', null, T + i * 60_000 + 1, null, null, 10, T);
      if (i % 25 === 1) insert.run(id, 'orders/cancelled', null, T + i * 60_000 + 2, null, 'voided', null, T);
    }
    const records = db.prepare('SELECT count(*) FROM orders').pluck().get() as number;
    // The upgrade on a bare connection, as any opener of the file would run it: the backfill's function is registered
    // by runMigrations itself.
    expect(runMigrations(db, loadMigrations().filter((m) => m.version === 6))).toEqual([6]);
    const stored = db.prepare('SELECT order_id, sample_key FROM orders').all() as { order_id: string; sample_key: number }[];
    expect(stored).toHaveLength(records);
    for (const r of stored) expect(r.sample_key).toBe(sampleKey(`order_${r.order_id}`));
    // The count reads the index alone; the sampled read walks the same index and reads only the sample's records.
    const plan = (name: string, params: Record<string, number>): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8')}`).all(params) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('count-paid-orders', { from: 0, to: 1 })).toMatch(/COVERING INDEX orders_window/);
    expect(plan('list-orders', { from: 0, to: 1, below: 1 })).toMatch(/USING INDEX orders_window/);
    db.close();

    const store: OutboxStore = await openStore(`sqlite:${path}`, { now: () => T });
    try {
      const window = { from: T, to: T + 300 * 60_000 };
      const all = await store.listOrders(window);
      expect(all).toHaveLength(records);
      expect(await store.countPaidOrders(window)).toBe(299);
      const keys = ids.map((id) => sampleKey(`order_${id}`)).sort((a, b) => a - b);
      for (const below of [0, keys[0]!, keys[30]!, keys[150]! + 1, keys[299]!, SAMPLE_KEY_SPACE - 1, SAMPLE_KEY_SPACE]) {
        const sampled = await store.listOrders({ ...window, sampleBelow: below });
        expect(sampled).toEqual(all.filter((r) => sampleKey(`order_${r.order_id}`) < below));
      }
      expect(new Set((await store.listOrders({ ...window, sampleBelow: keys[150]! })).map((r) => r.order_id)).size).toBe(150);
      // Orders written after the upgrade get their key from the writer: the same sample as those before.
      const later: OrderRecord[] = ['late-1', 'late-2', 'late-3', 'late-4'].map((id, i) => ({ order_id: id, topic: 'orders/paid', occurred_at: T + 400 * 60_000 + i, total: 5, currency: 'EUR' }));
      for (const o of later) await store.recordOrder(o);
      const below = keys[150]!;
      const sampledLater = await store.listOrders({ from: T, to: T + 500 * 60_000, sampleBelow: below });
      expect(sampledLater).toEqual([...all, ...later].filter((r) => sampleKey(`order_${r.order_id}`) < below));
    } finally {
      await store.close();
    }
  });
});
