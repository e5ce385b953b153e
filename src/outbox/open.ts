import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { retentionMsOf } from './retention.js';
import type { EventReader } from './event-scan.js';
import type { OutboxStore } from './types.js';
import { SqliteOutboxStore, type SqliteStoreOptions } from './sqlite/store.js';

export interface OpenStoreOptions {
  /** 32-byte key sealing Klaviyo's raw contact (parseSecretKey(process.env.MATCHKEY_SECRET_KEY)). */
  secretKey?: Buffer;
  logger?: SqliteStoreOptions['logger'];
  /** Injectable clock (unix ms); tests only. */
  now?: () => number;
}

/**
 * Opens the store named by `storage.url` and brings its schema up to date (migrate() is idempotent).
 * `sqlite:<path>` (relative to the working directory; the directory is created), optionally
 * `?synchronous=normal` (see src/outbox/README.md for what that trades away) and `?retention_days=N` (delivered
 * rows older than N days are deleted: docs/DEPLOYMENT.md), as on PostgreSQL.
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<OutboxStore> {
  const path = sqlitePathOf(url);
  if (path !== undefined) {
    const query = url.split('?', 2)[1];
    if (path === '') throw new InputError('storage.url', 'expected sqlite:<path to a database file>');
    const params = new URLSearchParams(query ?? '');
    const synchronous = params.get('synchronous')?.toLowerCase() ?? 'full';
    if (synchronous !== 'full' && synchronous !== 'normal') {
      throw new InputError('storage.url', 'expected synchronous=full or synchronous=normal');
    }
    const retentionMs = retentionMsOf(params.get('retention_days'));
    const file = path === ':memory:' ? path : resolve(path);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const store = new SqliteOutboxStore(file, { ...opts, synchronous, ...(retentionMs !== undefined ? { retentionMs } : {}) });
    await store.migrate();
    return store;
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    // Loaded on demand: an embedded SQLite deployment never loads the PostgreSQL driver. See docs/DEPLOYMENT.md.
    const { openPostgresStore } = await import('./postgres/open.js');
    return openPostgresStore(url, opts);
  }
  throw new InputError('storage.url', 'expected sqlite:<path> or postgres://…', 'unsupported_storage');
}

/** The database path of a `sqlite:<path>[?…]` URL (`sqlite:///abs` and `sqlite:/abs` alike); undefined for another scheme. */
export function sqlitePathOf(url: string): string | undefined {
  if (!url.startsWith('sqlite:')) return undefined;
  return url.slice('sqlite:'.length).split('?', 1)[0]!.replace(/^\/\/(?=\/)/, '');
}

/**
 * A reader of the stored events of `storage.url` for work off the gateway's thread (the daily diagnostics
 * snapshot): a read-only connection to a SQLite file, a one-connection pool on PostgreSQL. It neither migrates
 * (the gateway has) nor writes, so a snapshot never adds a writer beside the gateway's own.
 */
export async function openEventReader(url: string): Promise<EventReader> {
  const path = sqlitePathOf(url);
  if (path !== undefined) {
    if (path === '' || path === ':memory:') throw new InputError('storage.url', 'expected sqlite:<path to a database file>');
    const { SqliteEventReader } = await import('./sqlite/event-reader.js');
    return new SqliteEventReader(resolve(path));
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const [{ parsePostgresUrl }, { PostgresOutboxStore }] = await Promise.all([import('./postgres/url.js'), import('./postgres/store.js')]);
    return new PostgresOutboxStore(parsePostgresUrl(url).connectionString, { poolSize: 1 });
  }
  throw new InputError('storage.url', 'expected sqlite:<path> or postgres://…', 'unsupported_storage');
}
