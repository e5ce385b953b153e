import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { hashedEvent } from '../contract.js';
import { openEventReader, openStore } from '../open.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('openEventReader (SQLite)', () => {
  it("reads the gateway's events through a read-only connection, even while a writer holds the write lock", async () => {
    dir = mkdtempSync(join(tmpdir(), 'mk-reader-'));
    const file = join(dir, 'matchkey.db');
    const store = await openStore(`sqlite:${file}`);
    await store.ingest(['a', 'b', 'c'].map((id) => ({ event: hashedEvent({ event_id: id }), source: 'api' as const, test: false, deliveries: [] })));
    const writer = new Database(file);
    writer.exec('BEGIN IMMEDIATE');
    const reader = await openEventReader(`sqlite:${file}`);
    try {
      const range = { from: 0, to: Date.now() + 1 };
      expect(await reader.countEvents(range)).toBe(3);
      const page = await reader.scanEvents({ ...range, limit: 10 });
      expect(page.events.map((e) => e.event.event_id)).toEqual(['a', 'b', 'c']);
      expect(page.next).toBeNull();
    } finally {
      await reader.close();
      writer.exec('ROLLBACK');
      writer.close();
      await store.close();
    }
  });

  it('refuses a storage.url it cannot read from another thread', async () => {
    for (const url of ['sqlite:', 'sqlite::memory:', 'mysql://x']) await expect(openEventReader(url)).rejects.toBeInstanceOf(InputError);
  });
});
