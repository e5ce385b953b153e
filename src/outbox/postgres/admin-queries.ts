import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { PlatformName } from '../../event/names.js';
import type { HashedEvent } from '../../identity/types.js';
import type {
  Activity,
  ActivityOutcome,
  ActivityQuery,
  AttemptRecord,
  DeadLetter,
  DeadLetterPage,
  DeadLetterQuery,
  DeliveryStatus,
  InspectedDelivery,
  InspectedEvent,
  StoredEvent,
} from '../types.js';

// The dashboard's reads for PostgreSQL (OutboxStore.activity / inspectEvents / deadLetters), the twin of
// ../sqlite/admin-queries.ts with the same results. Read-only, one SQL file per statement (./sql/admin-*.sql),
// each sent as a named prepared statement. Every query is an index range (test/postgres/admin-reads.test.ts
// checks the plans): they run every few seconds against the database every instance ingests into.

const ADMIN_STATEMENTS = [
  'admin-events-in',
  'admin-attempt-activity',
  'admin-finished-activity',
  'admin-dead-letters',
  'admin-dead-letters-count',
  'admin-dead-letter-reasons',
  'admin-events-by-id',
  'admin-order-ids-by-name',
  'admin-recent-by-order-id',
  'admin-event-deliveries',
  'admin-attempts-of',
] as const;

export type AdminStatement = (typeof ADMIN_STATEMENTS)[number];
type Row = Record<string, unknown>;

const SQL_DIR = new URL('./sql/', import.meta.url);

export function loadAdminStatements(): Record<AdminStatement, string> {
  const out = {} as Record<AdminStatement, string>;
  for (const name of ADMIN_STATEMENTS) out[name] = readFileSync(new URL(`${name}.sql`, SQL_DIR), 'utf8');
  return out;
}

/** An attempt's `at` is its send time and rows are appended when answered: id order is time order give or take a request timeout. */
const ATTEMPT_ORDER_SLACK_MS = 5 * 60_000;

/** How many of the newest events are searched by commerce.order_id when no event_id matches (a bounded read). */
export const ORDER_ID_SCAN_LIMIT = 50_000;
const MAX_INSPECTED = 20;

export class PostgresAdminQueries {
  private readonly sql = loadAdminStatements();

  constructor(private readonly pool: pg.Pool) {}

  private async query(name: AdminStatement, values: unknown[]): Promise<Row[]> {
    return (await this.pool.query<Row>({ name: `mk_${name}`, text: this.sql[name], values })).rows;
  }

  async activity(query: ActivityQuery): Promise<Activity> {
    const params = [query.from, query.to, Math.max(1, Math.round(query.bucket_ms))];
    const [eventsIn, attempts, finished] = await Promise.all([
      this.query('admin-events-in', params),
      this.query('admin-attempt-activity', [...params, query.from - ATTEMPT_ORDER_SLACK_MS]),
      this.query('admin-finished-activity', params),
    ]);
    const toDelivery = (r: Row) => ({
      bucket: Number(r.bucket),
      destination_id: r.destination_id as string,
      platform: r.platform as PlatformName,
      outcome: r.outcome as ActivityOutcome,
      n: Number(r.n),
    });
    return {
      events_in: eventsIn.map((r) => ({ bucket: Number(r.bucket), n: Number(r.n) })),
      deliveries: [...attempts, ...finished].map(toDelivery),
    };
  }

  async deadLetters(query: DeadLetterQuery): Promise<DeadLetterPage> {
    const base = [query.status ?? null, query.from ?? 0, query.to ?? Number.MAX_SAFE_INTEGER, query.destination_id ?? null, query.platform ?? null];
    const filtered = [...base, query.error_code ?? null];
    const [count, rows, reasons] = await Promise.all([
      this.query('admin-dead-letters-count', filtered),
      this.query('admin-dead-letters', [...filtered, query.limit, query.offset]),
      this.query('admin-dead-letter-reasons', base),
    ]);
    return {
      total: count[0]!.n as number,
      rows: rows.map((r) => {
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
      }),
      reasons: reasons.map((r) => ({ error_code: r.error_code as string, n: r.n as number })),
    };
  }

  async inspectEvents(query: string): Promise<InspectedEvent[]> {
    const q = query.trim();
    if (q === '') return [];
    const bare = q.replace(/^#/, '').replace(/^order_/, '');
    const names = await this.query('admin-order-ids-by-name', [bare]);
    const orderIds = new Set([bare, ...names.map((r) => r.order_id as string)]);
    const eventIds = [q, ...[...orderIds].map((id) => `order_${id}`)];
    let rows = await this.query('admin-events-by-id', [eventIds]);
    if (rows.length === 0) rows = await this.query('admin-recent-by-order-id', [ORDER_ID_SCAN_LIMIT, bare]);
    rows.sort((a, b) => (b.id as number) - (a.id as number));
    rows = rows.slice(0, MAX_INSPECTED);
    if (rows.length === 0) return [];

    const deliveryRows = await this.query('admin-event-deliveries', [[...new Set(rows.map((r) => r.event_id as string))]]);
    const log = new Map<number, AttemptRecord[]>();
    if (deliveryRows.length > 0) {
      for (const a of await this.query('admin-attempts-of', [deliveryRows.map((d) => d.id)])) {
        const attempt: AttemptRecord = { at: a.at as number, latency_ms: a.latency_ms as number, outcome: a.outcome as string };
        if (a.http_status !== null) attempt.http_status = a.http_status as number;
        if (a.platform_code !== null) attempt.platform_code = a.platform_code as string;
        if (a.message !== null) attempt.message = a.message as string;
        const list = log.get(a.delivery_id as number) ?? [];
        list.push(attempt);
        log.set(a.delivery_id as number, list);
      }
    }
    return rows.map((r) => {
      const stored: StoredEvent = {
        event: JSON.parse(r.body as string) as HashedEvent,
        source: r.source as StoredEvent['source'],
        test: r.test as boolean,
        received_at: r.received_at as number,
      };
      // A row belongs to the event it sends: a browser event whose rows its server twin took over shows none.
      const deliveries = deliveryRows.filter((d) => d.event_id === r.event_id && d.event_source === r.source).map((d) => toInspected(d, log));
      return { ...stored, deliveries };
    });
  }
}

function toInspected(d: Row, log: Map<number, AttemptRecord[]>): InspectedDelivery {
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
