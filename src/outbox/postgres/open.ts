import type { OutboxStore } from '../types.js';
import { PostgresOutboxStore, type PostgresStoreOptions } from './store.js';
import { parsePostgresUrl } from './url.js';

/** `openStore` for postgres:// URLs: one pool per gateway instance; the schema is migrated under a lock. */
export async function openPostgresStore(url: string, opts: Omit<PostgresStoreOptions, 'poolSize' | 'retentionMs'> = {}): Promise<OutboxStore> {
  const { connectionString, ...settings } = parsePostgresUrl(url);
  const store = new PostgresOutboxStore(connectionString, { ...opts, ...settings });
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
