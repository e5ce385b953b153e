import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../outbox/open.js';
import { historyStoreContract } from './history-store.contract.js';
import { openHistoryStore } from './open.js';

historyStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-history-'));
  const url = `sqlite:${join(dir, 'matchkey.db')}`;
  const history = await openHistoryStore(url);
  return {
    history,
    reopen: () => openHistoryStore(url),
    cleanup: async () => {
      await history.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite history beside the outbox', () => {
  it('lives in the outbox’s database file, in tables of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-history-'));
    try {
      const file = join(dir, 'matchkey.db');
      const outbox = await openStore(`sqlite:${file}`);
      const history = await openHistoryStore(`sqlite:${file}`);
      await history.addAnnotation({ day: '2026-11-21', text: 'note', created_at: 1 });
      await history.close();
      await outbox.close();
      const db = new Database(file, { readonly: true });
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      db.close();
      expect(tables).toEqual(expect.arrayContaining(['diag_snapshots', 'diag_annotations', 'diag_gauges', 'diag_schema_migrations', 'schema_migrations', 'events']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the gauges of a database written before readings named their destination', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-history-'));
    try {
      const file = join(dir, 'matchkey.db');
      // The tables as versions 1 and 2 left them.
      const db = new Database(file);
      db.exec(`CREATE TABLE diag_schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
        INSERT INTO diag_schema_migrations VALUES (1, 0), (2, 0);
        CREATE TABLE diag_snapshots (day TEXT NOT NULL, platform TEXT NOT NULL, destination_id TEXT NOT NULL, events INTEGER NOT NULL, sendable INTEGER NOT NULL, readiness REAL, coverage TEXT NOT NULL, findings TEXT NOT NULL, taken_at INTEGER NOT NULL, PRIMARY KEY (day, platform));
        CREATE TABLE diag_gauges (day TEXT NOT NULL, platform TEXT NOT NULL, kind TEXT NOT NULL, value REAL NOT NULL, recorded_at INTEGER NOT NULL, PRIMARY KEY (day, platform, kind));
        INSERT INTO diag_gauges VALUES ('2026-11-20', 'meta', 'event_match_quality', 6.5, 1);`);
      db.close();
      const history = await openHistoryStore(`sqlite:${file}`);
      await history.recordGauge({ day: '2026-11-20', platform: 'meta', destination_id: 'meta-eu', kind: 'event_match_quality', value: 4, recorded_at: 2 });
      expect(await history.listGauges()).toEqual([
        { day: '2026-11-20', platform: 'meta', kind: 'event_match_quality', value: 6.5, recorded_at: 1 },
        { day: '2026-11-20', platform: 'meta', destination_id: 'meta-eu', kind: 'event_match_quality', value: 4, recorded_at: 2 },
      ]);
      await history.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a storage url it cannot open, naming storage.url', async () => {
    await expect(openHistoryStore('mysql://x')).rejects.toMatchObject({ path: 'storage.url' });
    await expect(openHistoryStore('sqlite:')).rejects.toMatchObject({ path: 'storage.url' });
  });
});
