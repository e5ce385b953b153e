import { readFileSync } from 'node:fs';
import type pg from 'pg';
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
import { decodeStoredEvent } from '../stored-event.js';

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
    return {
      events_in: eventsIn.map((r) => ({ bucket: Number(r.bucket), n: Number(r.n) })),
      deliveries: [...attempts, ...finished].map(activityDelivery),
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
      rows: rows.map(deadLetter),
      reasons: reasons.map((r) => ({ error_code: r.error_code as string, n: r.n as number })),
    };
  }

  async inspectEvents(query: string): Promise<InspectedEvent[]> {
    const terms = inspectorTerms(query);
    if (!terms) return [];
    const names = await this.query('admin-order-ids-by-name', [terms.bare]);
    let rows = await this.query('admin-events-by-id', [inspectorEventIds(terms, names.map((r) => r.order_id as string))]);
    if (rows.length === 0) rows = await this.query('admin-recent-by-order-id', [ORDER_ID_SCAN_LIMIT, terms.bare]);
    rows.sort((a, b) => (b.id as number) - (a.id as number));
    rows = rows.slice(0, MAX_INSPECTED);
    if (rows.length === 0) return [];

    const deliveryRows = await this.query('admin-event-deliveries', [[...new Set(rows.map((r) => r.event_id as string))]]);
    const log = deliveryRows.length > 0 ? attemptsByDelivery(await this.query('admin-attempts-of', [deliveryRows.map((d) => d.id)])) : new Map<number, AttemptRecord[]>();
    return rows.map((r) => {
      const stored: StoredEvent = {
        event: decodeStoredEvent(r.body as string, r.hashes as Buffer | null),
        source: r.source as StoredEvent['source'],
        test: r.test as boolean,
        received_at: r.received_at as number,
      };
      // A row belongs to the event it sends: a browser event whose rows its server twin took over shows none.
      const deliveries = deliveryRows.filter((d) => d.event_id === r.event_id && d.event_source === r.source).map((d) => inspectedDelivery(d, log));
      return { ...stored, deliveries };
    });
  }
}
