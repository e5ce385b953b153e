import type { PlatformName } from '../event/names.js';
import type { Activity, ActivityOutcome, AttemptRecord, DeadLetter, DeliveryStatus, InspectedDelivery } from './types.js';

// The dashboard reads' row shapes, mapped once for both stores (sqlite/ and postgres/admin-queries.ts run their
// own SQL, but a delivery, an attempt or a dead letter reads back the same from either).

type Row = Record<string, unknown>;

/** An attempt's `at` is its send time and rows are appended when answered: id order is time order give or take a request timeout. */
export const ATTEMPT_ORDER_SLACK_MS = 5 * 60_000;

/** How many of the newest events are searched by commerce.order_id when no event_id matches (a bounded read). */
export const ORDER_ID_SCAN_LIMIT = 50_000;
/** Events an inspector search shows at most, newest first. */
export const MAX_INSPECTED = 20;

/** An activity row (bucket, destination_id, platform, outcome, n), from the attempts or the finished rows. */
export function activityDelivery(r: Row): Activity['deliveries'][number] {
  return {
    bucket: Number(r.bucket),
    destination_id: r.destination_id as string,
    platform: r.platform as PlatformName,
    outcome: r.outcome as ActivityOutcome,
    n: Number(r.n),
  };
}

/**
 * What an inspector search looks up: the text itself as an event_id, and the order it may name (`#1001`,
 * `order_1001` or `1001`; `bare` is also matched against Shopify order names). Null for an empty search.
 */
export function inspectorTerms(query: string): { q: string; bare: string } | null {
  const q = query.trim();
  if (q === '') return null;
  return { q, bare: q.replace(/^#/, '').replace(/^order_/, '') };
}

/** The event ids an inspector search matches: the text itself, and `order_<id>` for each order id it may mean. */
export function inspectorEventIds(terms: { q: string; bare: string }, orderIdsByName: readonly string[]): string[] {
  const orderIds = new Set([terms.bare, ...orderIdsByName]);
  return [terms.q, ...[...orderIds].map((id) => `order_${id}`)];
}

/** Attempts rows (delivery_id, at, latency_ms, outcome, http_status?, platform_code?, message?) by delivery id. */
export function attemptsByDelivery(rows: Row[]): Map<number, AttemptRecord[]> {
  const log = new Map<number, AttemptRecord[]>();
  for (const a of rows) {
    const attempt: AttemptRecord = { at: a.at as number, latency_ms: a.latency_ms as number, outcome: a.outcome as string };
    if (a.http_status !== null) attempt.http_status = a.http_status as number;
    if (a.platform_code !== null) attempt.platform_code = a.platform_code as string;
    if (a.message !== null) attempt.message = a.message as string;
    const list = log.get(a.delivery_id as number) ?? [];
    list.push(attempt);
    log.set(a.delivery_id as number, list);
  }
  return log;
}

export function inspectedDelivery(d: Row, log: Map<number, AttemptRecord[]>): InspectedDelivery {
  const delivery: InspectedDelivery = {
    delivery_id: d.id as number,
    destination_id: d.destination_id as string,
    platform: d.platform as PlatformName,
    status: d.status as DeliveryStatus,
    attempts: d.attempts as number,
    created_at: d.created_at as number,
    attempt_log: log.get(d.id as number) ?? [],
  };
  if (d.next_attempt_at !== null && d.status === 'pending') delivery.next_attempt_at = d.next_attempt_at as number;
  if (d.finished_at !== null) delivery.finished_at = d.finished_at as number;
  if (d.skip_reason !== null) delivery.skip_reason = d.skip_reason as string;
  if (d.last_error_code !== null) delivery.error_code = d.last_error_code as string;
  if (d.last_error_message !== null) delivery.error_message = d.last_error_message as string;
  return delivery;
}

export function deadLetter(r: Row): DeadLetter {
  const row: DeadLetter = {
    delivery_id: r.id as number,
    event_id: r.event_id as string,
    event_name: r.event_name as string,
    destination_id: r.destination_id as string,
    platform: r.platform as PlatformName,
    status: r.status as DeadLetter['status'],
    attempts: r.attempts as number,
    finished_at: r.finished_at as number,
  };
  if (r.last_error_code !== null) row.error_code = r.last_error_code as string;
  if (r.last_error_message !== null) row.error_message = r.last_error_message as string;
  return row;
}
