import type { Pool } from 'pg';
import { readMigrationFiles, type Migration } from '../migration-files.js';

// Numbered migrations (`NNN_name.sql` in ./migrations), applied in order in ONE transaction that first takes a
// transaction-scoped advisory lock: instances starting together queue on the lock, and each one after the first
// finds the versions already recorded and applies nothing. DDL is transactional in PostgreSQL, so a crash
// mid-upgrade leaves the schema at the previous version.

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** Arbitrary constant naming Matchkey's migration lock among the database's advisory locks. */
export const MIGRATION_LOCK_KEY = 0x6d6b6f62; // "mkob"

export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  return readMigrationFiles(dir);
}

/** Applies the migrations not yet recorded; returns the versions this call applied. */
export async function runMigrations(pool: Pool, migrations: Migration[] = loadMigrations(), now = Date.now()): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
      );
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((r) => r.version));
      const done: number[] = [];
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now]);
        done.push(m.version);
      }
      await client.query('COMMIT');
      return done;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    client.release();
  }
}
