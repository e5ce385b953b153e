import { InputError } from '../errors.js';

const DAY_MS = 86_400_000;

/**
 * `retention_days` of a `storage.url` (both stores: docs/DEPLOYMENT.md "retention_days"), in ms; undefined when
 * absent (retention off). Days may be fractional (`0.5`); anything else than a positive number is refused.
 */
export function retentionMsOf(value: string | null): number | undefined {
  if (value === null) return undefined;
  const days = Number(value);
  if (value.trim() === '' || !Number.isFinite(days) || days <= 0) {
    throw new InputError('storage.url', 'expected retention_days to be a positive number of days', 'invalid_storage_url');
  }
  return days * DAY_MS;
}

/** How often a store with retention on prunes (both stores). */
const PRUNE_EVERY_MS = 600_000;

/**
 * Runs a store's `pruneDelivered(retentionMs)` every `everyMs` (default 10 min), never keeping the process alive; a
 * failed prune is logged and tried again at the next interval. Returns the timer, for the store's close().
 */
export function scheduleRetention(
  pruneDelivered: (olderThanMs: number) => Promise<number>,
  retentionMs: number,
  everyMs: number = PRUNE_EVERY_MS,
  logger?: { warn(obj: object, msg?: string): void },
): NodeJS.Timeout {
  const timer = setInterval(() => {
    pruneDelivered(retentionMs).catch((err: Error) => logger?.warn({ err: { message: err.message } }, 'outbox: pruning delivered rows failed'));
  }, everyMs);
  timer.unref();
  return timer;
}
