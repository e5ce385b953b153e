import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
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
});
