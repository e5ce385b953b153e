import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { openStore } from '../../src/outbox/open.js';
import { PostgresOutboxStore } from '../../src/outbox/postgres/store.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/outbox/postgres/testing/database.js';

let db: ScratchDatabase;
beforeAll(async () => {
  db = await createScratchDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('openStore with a postgres:// storage.url', () => {
  it('opens a migrated PostgreSQL store with the pool size the URL names', async () => {
    for (const scheme of ['postgres', 'postgresql']) {
      const store = await openStore(`${db.url.replace(/^postgres/, scheme)}?pool_size=3&retention_days=30`);
      try {
        expect(store).toBeInstanceOf(PostgresOutboxStore);
        expect((store as PostgresOutboxStore).pool.options.max).toBe(3);
        expect(await store.counts(Date.now())).toEqual([]);
      } finally {
        await store.close();
      }
    }
  });

  it('refuses a URL without a database or with a bad setting, naming storage.url', async () => {
    await expect(openStore('postgres://127.0.0.1:5432')).rejects.toBeInstanceOf(InputError);
    await expect(openStore(`${db.url}?pool_size=many`)).rejects.toMatchObject({ path: 'storage.url' });
  });

  it('fails to open, rather than hanging, when the database does not exist', async () => {
    await expect(openStore(`${db.url}_missing`)).rejects.toThrow(/does not exist/);
  });
});
