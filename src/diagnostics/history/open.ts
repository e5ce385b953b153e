import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { SqliteHistoryStore } from './sqlite-history-store.js';
import type { HistoryStore } from './types.js';

/**
 * Opens the history store of `storage.url` (the same database as the outbox) and brings its tables up to date:
 * `sqlite:<path>` relative to the working directory, as the outbox reads it, or `postgres://…`.
 */
export async function openHistoryStore(url: string): Promise<HistoryStore> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).split('?', 1)[0]!.replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new InputError('storage.url', 'expected sqlite:<path to a database file>');
    const file = path === ':memory:' ? path : resolve(path);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const store = new SqliteHistoryStore(file);
    await store.migrate();
    return store;
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    // Loaded on demand, as the outbox does: an embedded SQLite deployment never loads the PostgreSQL driver.
    const [{ parsePostgresUrl }, { PostgresHistoryStore }] = await Promise.all([import('../../outbox/postgres/url.js'), import('./postgres-history-store.js')]);
    const store = new PostgresHistoryStore(parsePostgresUrl(url).connectionString);
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }
  throw new InputError('storage.url', 'expected sqlite:<path> or postgres://…', 'unsupported_storage');
}
