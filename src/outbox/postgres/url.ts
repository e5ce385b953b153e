import { InputError } from '../../errors.js';
import { retentionMsOf } from '../retention.js';

// `storage.url: postgres://user:pass@host:5432/db?pool_size=10&retention_days=30`. Matchkey's own parameters are
// taken out of the URL; everything else (sslmode, application_name, …) goes to the driver unchanged.

export interface PostgresUrlSettings {
  connectionString: string;
  /** Connections per gateway instance. */
  poolSize?: number;
  /** Delivered rows older than this are pruned (with their attempts). */
  retentionMs?: number;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export function parsePostgresUrl(url: string): PostgresUrlSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the URL: it may carry a password.
    throw new InputError('storage.url', 'expected postgres://user:password@host:port/database', 'invalid_storage_url');
  }
  if (parsed.pathname.length <= 1) throw new InputError('storage.url', 'expected a database name: postgres://host:port/<database>', 'invalid_storage_url');
  const settings: PostgresUrlSettings = { connectionString: '' };
  const pool = parsed.searchParams.get('pool_size');
  if (pool !== null) {
    const n = Number(pool);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InputError('storage.url', 'expected pool_size to be an integer from 1 to 1000', 'invalid_storage_url');
    settings.poolSize = n;
    parsed.searchParams.delete('pool_size');
  }
  const retentionMs = retentionMsOf(parsed.searchParams.get('retention_days'));
  if (retentionMs !== undefined) {
    settings.retentionMs = retentionMs;
    parsed.searchParams.delete('retention_days');
  }
  settings.connectionString = parsed.toString();
  return settings;
}
