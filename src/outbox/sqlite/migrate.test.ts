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
});
