import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadMigrations, runMigrations } from './migrate.js';
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
});
