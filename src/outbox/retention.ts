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
