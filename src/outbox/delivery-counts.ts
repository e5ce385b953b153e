import type { PlatformName } from '../event/names.js';
import type { DeliveryCounts } from './types.js';

// Both stores answer counts() from the same two readings: the running totals of final rows (counts.sql) and the
// incremental counts of pending rows by destination and first-attempt-or-retry, with the destination's oldest
// pending time (counts-pending.sql). One fold for both.

/** A row as the drivers return it (column name → value). */
type Row = Record<string, unknown>;

/**
 * `totals`: counts.sql, one row per (destination_id, status, platform, n) of final rows. `pending`:
 * counts-pending.sql, one row per (destination_id, platform, retrying, n, oldest created_at of the destination's
 * pending rows).
 */
export function foldDeliveryCounts(totals: readonly Row[], pending: readonly Row[], now: number): DeliveryCounts[] {
  const byDestination = new Map<string, DeliveryCounts>();
  const entry = (r: Row): DeliveryCounts => {
    const id = r.destination_id as string;
    let c = byDestination.get(id);
    if (!c) {
      c = { destination_id: id, platform: r.platform as PlatformName, pending: 0, retrying: 0, delivered: 0, rejected: 0, dead: 0, skipped: 0, oldest_pending_ms: 0 };
      byDestination.set(id, c);
    }
    return c;
  };
  for (const r of totals) {
    const status = r.status as string;
    if (status === 'delivered' || status === 'rejected' || status === 'dead' || status === 'skipped') entry(r)[status] += r.n as number;
  }
  for (const r of pending) {
    const c = entry(r);
    if (r.retrying) c.retrying += r.n as number;
    else c.pending += r.n as number;
    if (r.oldest !== null && r.oldest !== undefined) c.oldest_pending_ms = Math.max(c.oldest_pending_ms, now - (r.oldest as number));
  }
  return [...byDestination.values()].sort((a, b) => a.destination_id.localeCompare(b.destination_id));
}
