import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { HashedEvent } from '../../identity/types.js';
import { decodeStoredEvent } from '../stored-event.js';
import type {
  Activity,
  ActivityQuery,
  AttemptRecord,
  DeadLetterPage,
  DeadLetterQuery,
  InspectedEvent,
  StoredEvent,
} from '../types.js';
import {
  activityDelivery,
  ATTEMPT_ORDER_SLACK_MS,
  attemptsByDelivery,
  deadLetter,
  inspectedDelivery,
  inspectorEventIds,
  inspectorTerms,
  MAX_INSPECTED,
  ORDER_ID_SCAN_LIMIT,
} from '../admin-rows.js';

// The dashboard's reads for SQLite (OutboxStore.activity / inspectEvents / deadLetters). Read-only, one SQL file
// per statement (./sql/admin-*.sql), prepared once per database. Every query is an index range: these run every
// few seconds on the same connection that ingests, so none may scan the whole history.

const ADMIN_STATEMENTS = [
  'admin-events-in',
  'admin-attempt-max',
  'admin-attempt-at',
  'admin-attempt-activity',
  'admin-finished-activity',
  'admin-delivered-activity',
  'admin-dead-letters',
  'admin-dead-letters-count',
  'admin-dead-letter-reasons',
  'admin-events-by-id',
  'admin-order-ids-by-name',
  'admin-recent-by-order-id',
  'admin-event-deliveries',
  'admin-attempts-of',
] as const;

type AdminStatement = (typeof ADMIN_STATEMENTS)[number];
type Row = Record<string, unknown>;

const SQL_DIR = new URL('./sql/', import.meta.url);
const prepared = new WeakMap<Database.Database, Record<AdminStatement, Database.Statement>>();

function statements(db: Database.Database): Record<AdminStatement, Database.Statement> {
  let s = prepared.get(db);
  if (!s) {
    s = {} as Record<AdminStatement, Database.Statement>;
    for (const name of ADMIN_STATEMENTS) s[name] = db.prepare(readFileSync(new URL(`${name}.sql`, SQL_DIR), 'utf8'));
    prepared.set(db, s);
  }
  return s;
}

/** The lowest attempt id whose `at` may fall at or after `from` (binary search over the rowid, ~20 point reads). */
function firstAttemptIdFrom(sql: Record<AdminStatement, Database.Statement>, from: number): number {
  const max = (sql['admin-attempt-max'].get() as { id: number | null }).id;
  if (max === null) return Number.MAX_SAFE_INTEGER;
  const target = from - ATTEMPT_ORDER_SLACK_MS;
  let lo = 1;
  let hi = max + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = sql['admin-attempt-at'].get({ id: mid }) as { id: number; at: number } | undefined;
    if (!row || row.at >= target) hi = mid;
    else lo = row.id + 1;
  }
  return lo;
}

export function sqliteActivity(db: Database.Database, query: ActivityQuery): Activity {
  const sql = statements(db);
  const params = { from: query.from, to: query.to, bucket_ms: Math.max(1, Math.round(query.bucket_ms)) };
  const eventsIn = (sql['admin-events-in'].all(params) as Row[]).map((r) => ({ bucket: Number(r.bucket), n: Number(r.n) }));
  const attempts = sql['admin-attempt-activity'].all({ ...params, first_id: firstAttemptIdFrom(sql, query.from) }) as Row[];
  const finished = sql['admin-finished-activity'].all(params) as Row[];
  const folded = sql['admin-delivered-activity'].all({ ...params, first_minute: Math.ceil(query.from / 60_000), end_minute: Math.ceil(query.to / 60_000) }) as Row[];
  // Successes are counted from two places (folded onto their rows, or in `attempts`): one row per bucket.
  const deliveries = new Map<string, Activity['deliveries'][number]>();
  for (const row of [...attempts, ...finished, ...folded].map(activityDelivery)) {
    const key = `${row.bucket}\u0000${row.destination_id}\u0000${row.outcome}`;
    const seen = deliveries.get(key);
    if (seen) seen.n += row.n;
    else deliveries.set(key, row);
  }
  return { events_in: eventsIn, deliveries: [...deliveries.values()] };
}

function deadLetterParams(query: DeadLetterQuery) {
  return {
    status: query.status ?? null,
    destination_id: query.destination_id ?? null,
    platform: query.platform ?? null,
    from: query.from ?? 0,
    to: query.to ?? Number.MAX_SAFE_INTEGER,
  };
}

export function sqliteDeadLetters(db: Database.Database, query: DeadLetterQuery): DeadLetterPage {
  const sql = statements(db);
  const base = deadLetterParams(query);
  const filtered = { ...base, error_code: query.error_code ?? null };
  const total = (sql['admin-dead-letters-count'].get(filtered) as { n: number }).n;
  const rows = (sql['admin-dead-letters'].all({ ...filtered, limit: query.limit, offset: query.offset }) as Row[]).map(deadLetter);
  const reasons = (sql['admin-dead-letter-reasons'].all(base) as Row[]).map((r) => ({ error_code: r.error_code as string, n: r.n as number }));
  return { total, rows, reasons };
}

export function sqliteInspectEvents(db: Database.Database, query: string): InspectedEvent[] {
  const sql = statements(db);
  const terms = inspectorTerms(query);
  if (!terms) return [];
  const names = (sql['admin-order-ids-by-name'].all({ name: terms.bare }) as { order_id: string }[]).map((r) => r.order_id);
  let rows = sql['admin-events-by-id'].all({ event_ids: JSON.stringify(inspectorEventIds(terms, names)) }) as Row[];
  if (rows.length === 0) rows = sql['admin-recent-by-order-id'].all({ scan: ORDER_ID_SCAN_LIMIT, order_id: terms.bare }) as Row[];
  rows.sort((a, b) => (b.id as number) - (a.id as number));
  return rows.slice(0, MAX_INSPECTED).map((r) => inspect(sql, r));
}

function inspect(sql: Record<AdminStatement, Database.Statement>, r: Row): InspectedEvent {
  const stored: StoredEvent = {
    event: decodeStoredEvent(r.body as string, r.hashes as Uint8Array | null),
    source: r.source as StoredEvent['source'],
    test: r.test === 1,
    received_at: r.received_at as number,
  };
  const deliveryRows = sql['admin-event-deliveries'].all({ event_ref: r.id }) as Row[];
  const log =
    deliveryRows.length > 0
      ? attemptsByDelivery(sql['admin-attempts-of'].all({ delivery_ids: JSON.stringify(deliveryRows.map((d) => d.id)) }) as Row[])
      : new Map<number, AttemptRecord[]>();
  for (const d of deliveryRows) {
    // The attempt that delivered the row, folded onto it (migration 005): the last of its log.
    if (d.sent_latency_ms === null) continue;
    const attempt: AttemptRecord = { at: d.last_attempt_at as number, latency_ms: d.sent_latency_ms as number, outcome: 'delivered' };
    if (d.sent_http_status !== null) attempt.http_status = d.sent_http_status as number;
    if (d.sent_code !== null) attempt.platform_code = d.sent_code as string;
    if (d.sent_message !== null) attempt.message = d.sent_message as string;
    const list = log.get(d.id as number) ?? [];
    list.push(attempt);
    log.set(d.id as number, list);
  }
  const deliveries = deliveryRows.map((d) => inspectedDelivery(d, log));
  return { ...stored, deliveries };
}
