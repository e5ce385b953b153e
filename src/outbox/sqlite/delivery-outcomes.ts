import type Database from 'better-sqlite3';
import { outcomeOfRow } from '../delivery-outcome-row.js';
import type { DeliveryOutcome } from '../types.js';

// OutboxStore.deliveryOutcomes for SQLite: the delivery rows of purchase events in an event_time range, for
// `matchkey reconcile` (docs/RECONCILE.md). The store calls `sqliteDeliveryOutcomes(this.db, range)`, or
// `sqliteForEachDeliveryOutcome` to fold them one at a time.
//
// event_time lives in the event body (unix seconds); received_at is indexed and an event is received at or after
// it happened, so received_at >= from − margin narrows the scan without losing events (the margin absorbs clock
// skew between the shop and the gateway).
const RECEIVED_MARGIN_MS = 2 * 86_400_000;

// A first try still waiting is a queue entry, not a row (migration 009): each event in range is joined to its rows
// and to its entries (queued_deliveries: one seek of the queue per destination number).
export const DELIVERY_OUTCOMES_SQL = `
WITH purchases AS (
  SELECT e.id, e.event_id, json_extract(e.body, '$.event_time') AS event_time, e.test
  FROM events e
  WHERE e.event_name = 'purchase'
    AND e.received_at >= :received_from
    AND json_extract(e.body, '$.event_time') >= :from_s AND json_extract(e.body, '$.event_time') < :to_s
)
SELECT destination_id, platform, event_id, event_time, status, attempts, last_error_code, last_error_message, skip_reason, test
FROM (
  SELECT p.id AS ref, d.destination_id, d.platform, p.event_id, p.event_time, d.status, d.attempts, d.last_error_code,
         d.last_error_message, d.skip_reason, p.test
  FROM purchases p JOIN deliveries d ON d.event_ref = p.id
  UNION ALL
  SELECT p.id, v.destination_id, v.platform, p.event_id, p.event_time, v.status, v.attempts, NULL, NULL, NULL, p.test
  FROM purchases p CROSS JOIN queued_deliveries v ON v.event_ref = p.id
)
ORDER BY ref, destination_id`;

const prepared = new WeakMap<Database.Database, Database.Statement>();

export function sqliteForEachDeliveryOutcome(db: Database.Database, range: { from: number; to: number }, visit: (outcome: DeliveryOutcome) => void): void {
  let statement = prepared.get(db);
  if (!statement) {
    statement = db.prepare(DELIVERY_OUTCOMES_SQL);
    prepared.set(db, statement);
  }
  // Row by row: a month of 200,000 orders with three destinations is 600,000 rows.
  const rows = statement.iterate({
    received_from: range.from - RECEIVED_MARGIN_MS,
    from_s: range.from / 1000,
    to_s: range.to / 1000,
  }) as IterableIterator<Record<string, unknown>>;
  for (const r of rows) visit(outcomeOfRow(r));
}

export function sqliteDeliveryOutcomes(db: Database.Database, range: { from: number; to: number }): DeliveryOutcome[] {
  const outcomes: DeliveryOutcome[] = [];
  sqliteForEachDeliveryOutcome(db, range, (o) => outcomes.push(o));
  return outcomes;
}
