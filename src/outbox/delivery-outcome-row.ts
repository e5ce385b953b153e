import type { PlatformName } from '../event/names.js';
import type { DeliveryOutcome, DeliveryStatus } from './types.js';

/**
 * The few values a column of delivery outcomes takes (destination ids, platforms, statuses, skip reasons, error
 * codes), each kept as one string: a driver makes a new string per row and column, and a reconciliation reads a
 * month of rows (600,000 for 200,000 orders with three destinations), five such strings each.
 */
const common = new Map<string, string>();
const COMMON_LIMIT = 10_000;

function once(value: string): string {
  const known = common.get(value);
  if (known !== undefined) return known;
  if (common.size < COMMON_LIMIT) common.set(value, value);
  return value;
}

/**
 * A row of delivery-outcomes / purchase-delivery-outcomes.sql, either store's: event_time in unix seconds (a number,
 * or SQLite's JSON value), test as PostgreSQL's boolean or SQLite's 0/1.
 */
export function outcomeOfRow(r: Record<string, unknown>): DeliveryOutcome {
  const o: DeliveryOutcome = {
    destination_id: once(r.destination_id as string),
    platform: once(r.platform as string) as PlatformName,
    event_id: r.event_id as string,
    event_time: Math.round(Number(r.event_time) * 1000),
    status: once(r.status as string) as DeliveryStatus,
    attempts: Number(r.attempts),
    test: r.test === 1 || r.test === true,
  };
  if (r.last_error_code !== null) o.error_code = once(r.last_error_code as string);
  if (r.last_error_message !== null) o.error_message = r.last_error_message as string;
  if (r.skip_reason !== null) o.skip_reason = once(r.skip_reason as string);
  return o;
}
