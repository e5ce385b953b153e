import type Database from 'better-sqlite3';
import { readMigrationFiles, type Migration } from '../migration-files.js';
import { registerFunctions } from './statements.js';

// Numbered migrations (`NNN_name.sql` in ./migrations), applied in order, each in its own transaction together
// with its row in schema_migrations, so a crash mid-upgrade leaves the schema at a known version. A migration may
// call the SQL functions the statements call (registerFunctions: 006 backfills the orders' sample keys with
// matchkey_sample_key), registered here on the migrating connection, whoever opened it.

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  return readMigrationFiles(dir);
}

/** Applies the migrations not yet recorded; returns the versions applied. */
export function runMigrations(db: Database.Database, migrations: Migration[] = loadMigrations(), now = Date.now()): number[] {
  registerFunctions(db);
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now);
    }).immediate();
    done.push(m.version);
  }
  return done;
}
