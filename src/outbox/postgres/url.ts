import { InputError } from '../../errors.js';

// `storage.url: postgres://user:pass@host:5432/db?pool_size=10&retention_days=30`. Matchkey's own parameters are
// taken out of the URL; everything else (sslmode, application_name, …) goes to the driver unchanged.

export interface PostgresUrlSettings {
  connectionString: string;
  /** Connections per gateway instance. */
  poolSize?: number;
  /** Delivered rows older than this are pruned (with their attempts). */
  retentionMs?: number;
}

const DAY_MS = 86_400_000;

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
  const retention = parsed.searchParams.get('retention_days');
  if (retention !== null) {
    const days = Number(retention);
    if (!Number.isFinite(days) || days <= 0) throw new InputError('storage.url', 'expected retention_days to be a positive number of days', 'invalid_storage_url');
    settings.retentionMs = days * DAY_MS;
    parsed.searchParams.delete('retention_days');
  }
  settings.connectionString = parsed.toString();
  return settings;
}
