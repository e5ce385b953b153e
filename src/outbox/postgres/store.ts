import { randomInt, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { PlatformName } from '../../event/names.js';
import { InputError } from '../../errors.js';
import type { PlainContact } from '../../identity/types.js';
import { ContactOpener, sealContact } from '../seal.js';
import { scheduleRetention } from '../retention.js';
import { decodeStoredEvent, encodeStoredEvent } from '../stored-event.js';
import type {
  Activity,
  ActivityQuery,
  ClaimedDelivery,
  DeadLetterPage,
  DeadLetterQuery,
  DeliveryCounts,
  DeliveryOutcome,
  UploadOutcomeCount,
  DeliveryUpdate,
  EventScanPage,
  EventScanQuery,
  IngestItem,
  IngestResult,
  InspectedEvent,
  OrderRecord,
  OutboxStore,
  ReplayFilter,
  StoredEvent,
} from '../types.js';
import { BROWSER_CONTEXT_RETENTION_MS, type BrowserContext, type StoredBrowserContext } from '../types.js';
import { foldDeliveryCounts } from '../delivery-counts.js';
import { outcomeOfRow } from '../delivery-outcome-row.js';
import { SAMPLE_KEY_SPACE, scanBounds, scanPage } from '../event-scan.js';
import { PostgresAdminQueries } from './admin-queries.js';
import { Coalescer } from './coalescer.js';
import { runMigrations } from './migrate.js';
import { planDeliveries, type DeliveryCandidate } from './plan-deliveries.js';
import { loadStatements, type StatementName } from './statements.js';

export interface PostgresStoreOptions {
  /** 32-byte AES-256-GCM key sealing Klaviyo's contact; without it such deliveries are refused. */
  secretKey?: Buffer;
  /** Connections this instance keeps to PostgreSQL (default 10). */
  poolSize?: number;
  /** When set, delivered rows older than this are pruned every `pruneEveryMs` (default 10 min) by this instance. */
  retentionMs?: number;
  pruneEveryMs?: number;
  /** Written on each claimed row (lease_owner) so operators can tell which instance holds it; default host:pid. */
  instanceId?: string;
  /** Injectable clock (unix ms) for received_at/created_at/finished_at; tests only. */
  now?: () => number;
  logger?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

type Row = Record<string, unknown>;

/** Purchase events per delivery-outcomes statement (each with its rows): one page held at a time, ~5 MB. */
const OUTCOME_PAGE_EVENTS = 5000;

interface Candidate extends DeliveryCandidate {
  event_id: string;
  destination_id: string;
  platform: PlatformName;
  /** Klaviyo's contact, sealed onto the row only if this delivery is the one written. */
  contact: PlainContact | undefined;
}

/** Expired browser contexts are deleted at most this often by each instance (on a save), in batches of this size. */
const BROWSER_CONTEXT_PRUNE_EVERY_MS = 3_600_000;
const BROWSER_CONTEXT_PRUNE_BATCH = 10_000;

const INT8_OID = 20;
// Every time in the schema is unix ms in a bigint: far inside Number.MAX_SAFE_INTEGER, so read them as numbers.
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const PRUNE_BATCH = 10_000;
/** Event ids per purchase-delivery-outcomes statement: a bounded array parameter and result per round trip. */
const IDS_PER_STATEMENT = 1000;
const RECEIVED_MARGIN_MS = 2 * 86_400_000;

/**
 * The outbox on PostgreSQL, shared by several gateway instances: each instance opens its own store (its own pool)
 * on the same database. Claims use FOR UPDATE SKIP LOCKED and a lease token per claim, so two instances never hold
 * the same row and a holder whose lease expired cannot overwrite the outcome of the instance that took it over.
 */
export class PostgresOutboxStore implements OutboxStore {
  readonly pool: pg.Pool;
  private readonly sql = loadStatements();
  private readonly contacts: ContactOpener;
  private readonly now: () => number;
  /** The lease token of each row this instance holds (claim → complete/renew/release). */
  private readonly leases = new Map<number, string>();
  /** This instance's row in delivery_totals (see the migration). */
  private readonly shard = randomInt(0, 32_768);
  readonly instanceId: string;
  private pruneTimer?: NodeJS.Timeout;
  private closed = false;
  private lastContextPrune = 0;
  /** Completions refused because the row's lease had passed to another claim (also counted per row in the table). */
  readonly leaseStats = { lateCompletions: 0 };
  /** Ingest calls without a webhook id share statements when they arrive faster than they commit. */
  private readonly ingests: Coalescer<IngestItem[], IngestResult & { duplicate_webhook: boolean }>;
  private readonly admin: PostgresAdminQueries;

  constructor(
    connectionString: string,
    private readonly opts: PostgresStoreOptions = {},
  ) {
    this.pool = new pg.Pool({ connectionString, max: opts.poolSize ?? 10, types: TYPES });
    // An idle connection dropped by the server (restart, failover) must not crash the gateway; the pool reconnects.
    this.pool.on('error', (err) => this.opts.logger?.error({ err: { code: (err as { code?: string }).code, message: err.message } }, 'outbox: idle PostgreSQL connection lost'));
    this.admin = new PostgresAdminQueries(this.pool);
    this.now = opts.now ?? Date.now;
    this.contacts = new ContactOpener(opts.secretKey, opts.logger);
    this.instanceId = opts.instanceId ?? `${hostname()}:${process.pid}`;
    // Half the pool at most for ingest statements: claims and completions keep connections of their own.
    this.ingests = new Coalescer((calls) => this.ingestStatement(calls), Math.max(1, Math.floor((opts.poolSize ?? 10) / 2)), 64);
  }

  /** Group-commit counters (statements vs ingest calls carried). */
  get ingestStats(): { statements: number; calls: number } {
    return this.ingests.stats;
  }

  private query(name: StatementName, values: unknown[]): Promise<pg.QueryResult<Row>> {
    return this.pool.query<Row>({ name: `mk_${name}`, text: this.sql[name], values });
  }

  async migrate(): Promise<void> {
    await runMigrations(this.pool);
    if (this.opts.retentionMs !== undefined) {
      this.pruneTimer ??= scheduleRetention((ms) => this.pruneDelivered(ms), this.opts.retentionMs, this.opts.pruneEveryMs, this.opts.logger);
    }
  }

  async ingest(
    items: IngestItem[],
    opts: { webhook_id?: string; order?: OrderRecord } = {},
  ): Promise<IngestResult & { duplicate_webhook: boolean }> {
    if (!this.opts.secretKey && items.some((it) => it.deliveries.some((d) => d.needs_contact && d.status === 'pending'))) {
      throw new InputError(
        'MATCHKEY_SECRET_KEY',
        'a destination needs the raw contact (Klaviyo) but no secret key is configured to seal it at rest',
        'secret_key_missing',
      );
    }
    if (opts.webhook_id === undefined && opts.order === undefined) return this.ingests.run(items);
    const [result] = await this.ingestStatement([items], opts);
    return result!;
  }

  /** One statement for several calls' items (group commit); webhook id and order only with a single call. */
  private async ingestStatement(
    calls: IngestItem[][],
    opts: { webhook_id?: string; order?: OrderRecord } = {},
  ): Promise<(IngestResult & { duplicate_webhook: boolean })[]> {
    const items = calls.flat();
    const ev = { id: [] as string[], name: [] as string[], source: [] as string[], test: [] as boolean[], time: [] as number[], body: [] as string[], hashes: [] as (Buffer | null)[] };
    const candidates: Candidate[] = [];
    const seenEvents = new Set<string>();
    items.forEach((item, index) => {
      const { contact, ...hashed } = item.event;
      // The first copy of an (event_id, source) is the one stored, as when the calls run one after the other.
      const eventKey = `${hashed.event_id}\u0000${item.source}`;
      if (!seenEvents.has(eventKey)) {
        seenEvents.add(eventKey);
        ev.id.push(hashed.event_id);
        ev.name.push(hashed.event_name);
        ev.source.push(item.source);
        ev.test.push(item.test);
        ev.time.push(hashed.event_time);
        // The body without the contact and without the identity hashes, which go in binary to their own column
        // (src/outbox/stored-event.ts).
        const stored = encodeStoredEvent(item.event);
        ev.body.push(stored.body);
        ev.hashes.push(stored.hashes);
      }
      for (const d of item.deliveries) {
        const pending = d.status === 'pending';
        candidates.push({
          key: `${d.destination_id}\u0000${hashed.event_id}`,
          item: index,
          source: item.source,
          status: d.status,
          skip_reason: pending ? null : (d.skip_reason ?? null),
          event_id: hashed.event_id,
          destination_id: d.destination_id,
          platform: d.platform,
          contact: pending && d.needs_contact ? contact : undefined,
        });
      }
    });
    const plans = planDeliveries(candidates);
    const dl = {
      event: [] as string[], dest: [] as string[], platform: [] as string[], source: [] as string[], status: [] as string[], skip: [] as (string | null)[], sealed: [] as (Buffer | null)[],
      tSource: [] as (string | null)[], tStatus: [] as (string | null)[], tSkip: [] as (string | null)[], tSealed: [] as (Buffer | null)[],
    };
    for (const { insert, takeOver } of plans) {
      dl.event.push(insert.event_id);
      dl.dest.push(insert.destination_id);
      dl.platform.push(insert.platform);
      dl.source.push(insert.source);
      dl.status.push(insert.status);
      dl.skip.push(insert.skip_reason);
      dl.sealed.push(this.seal(insert));
      dl.tSource.push(takeOver?.source ?? null);
      dl.tStatus.push(takeOver?.status ?? null);
      dl.tSkip.push(takeOver?.skip_reason ?? null);
      dl.tSealed.push(takeOver === undefined ? null : takeOver === insert ? dl.sealed.at(-1)! : this.seal(takeOver));
    }
    const { rows } = await this.query('ingest', [
      opts.webhook_id ?? null,
      this.now(),
      ev.id, ev.name, ev.source, ev.test, ev.time, ev.body, ev.hashes,
      dl.event, dl.dest, dl.platform, dl.source, dl.status, dl.skip, dl.sealed,
      dl.tSource, dl.tStatus, dl.tSkip, dl.tSealed,
      ...orderValues(opts.order),
      this.shard,
    ]);
    if (rows.some((r) => r.kind === 'go' && r.ok === false)) {
      return calls.map((items) => ({ duplicate_webhook: true, items: items.map(() => ({ stored: false, deliveries_created: 0 })) }));
    }
    // A new event is credited to the first item carrying it; a new or taken-over delivery row to each item that
    // owned it in turn (planDeliveries), as if the calls had run one after the other in arrival order.
    const newEvents = new Set<string>();
    const written = new Map<string, boolean>();
    for (const r of rows) {
      if (r.kind === 'event') newEvents.add(`${r.event_id as string}\u0000${r.key as string}`);
      else if (r.kind === 'delivery') written.set(`${r.key as string}\u0000${r.event_id as string}`, r.ok === true);
    }
    const created = new Array<number>(items.length).fill(0);
    for (const plan of plans) {
      const inserted = written.get(plan.insert.key);
      if (inserted === undefined) continue;
      for (const i of inserted ? plan.insertCredits : plan.takeOverCredits) created[i]!++;
    }
    let index = 0;
    return calls.map((callItems) => ({
      duplicate_webhook: false,
      items: callItems.map((item) => ({
        stored: newEvents.delete(`${item.event.event_id}\u0000${item.source}`),
        deliveries_created: created[index++]!,
      })),
    }));
  }

  private seal(c: Candidate): Buffer | null {
    return c.contact ? sealContact(c.contact, this.opts.secretKey!, c.event_id) : null;
  }

  async recordOrder(order: OrderRecord, opts: { webhook_id?: string } = {}): Promise<{ duplicate_webhook: boolean }> {
    const { rows } = await this.query('record-order', [opts.webhook_id ?? null, this.now(), ...orderValues(order)]);
    return { duplicate_webhook: rows[0]!.ok !== true };
  }

  async claim(destinationId: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const token = randomUUID();
    const { rows } = await this.query('claim', [destinationId, now, limit, now + leaseMs, token, this.instanceId]);
    rows.sort((a, b) => (a.id as number) - (b.id as number));
    return rows.map((r) => {
      const id = r.id as number;
      this.leases.set(id, token);
      const event = decodeStoredEvent(r.body as string, r.hashes as Buffer | null);
      if (r.sealed_contact) {
        const contact = this.contacts.open(r.sealed_contact as Buffer, r.event_id as string, id);
        if (contact) event.contact = contact;
      }
      const claimed: ClaimedDelivery = {
        delivery_id: id,
        destination_id: destinationId,
        platform: r.platform as PlatformName,
        attempts: r.attempts as number,
        created_at: r.created_at as number,
        event,
      };
      if (r.first_attempt_at !== null) claimed.first_attempt_at = r.first_attempt_at as number;
      return claimed;
    });
  }

  /** The rows of `ids` this instance holds, with their lease tokens. */
  private held(ids: number[]): { ids: number[]; tokens: string[] } {
    const out = { ids: [] as number[], tokens: [] as string[] };
    for (const id of ids) {
      const token = this.leases.get(id);
      if (token === undefined) continue;
      out.ids.push(id);
      out.tokens.push(token);
    }
    return out;
  }

  async renewLeases(deliveryIds: number[], until: number): Promise<void> {
    const held = this.held(deliveryIds);
    if (held.ids.length === 0) return;
    await this.query('renew-leases', [held.ids, held.tokens, until]);
  }

  async complete(updates: DeliveryUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const u = { id: [] as number[], token: [] as (string | null)[], status: [] as string[], counted: [] as number[], next: [] as (number | null)[], at: [] as (number | null)[], code: [] as (string | null)[], message: [] as (string | null)[] };
    // Each update's attempt at its index (NULL outcome: none), so complete.sql can fold a success onto its row.
    const a = { latency: [] as (number | null)[], http: [] as (number | null)[], outcome: [] as (string | null)[], code: [] as (string | null)[], message: [] as (string | null)[] };
    // Ascending ids: two completions touching overlapping rows lock them in the same order (no deadlock). The
    // ingest never locks a pending row (ingest.sql), so it cannot hold one a completion waits for.
    for (const up of [...updates].sort((x, y) => x.delivery_id - y.delivery_id)) {
      u.id.push(up.delivery_id);
      u.token.push(this.leases.get(up.delivery_id) ?? null);
      u.status.push(up.status);
      u.counted.push(up.attempt ? 1 : 0);
      u.next.push(up.status === 'pending' ? up.next_attempt_at : null);
      u.at.push(up.attempt?.at ?? null);
      u.code.push(up.status === 'delivered' ? null : up.error_code);
      u.message.push(up.status === 'delivered' ? null : up.error_message);
      a.latency.push(up.attempt ? Math.round(up.attempt.latency_ms) : null);
      a.http.push(up.attempt?.http_status ?? null);
      a.outcome.push(up.attempt?.outcome ?? null);
      a.code.push(up.attempt?.platform_code ?? null);
      a.message.push(up.attempt?.message ?? null);
    }
    const { rows } = await this.query('complete', [
      u.id, u.token, u.status, u.counted, u.next, u.at, u.code, u.message,
      this.now(), this.shard,
      a.latency, a.http, a.outcome, a.code, a.message,
    ]);
    const applied = new Set(rows.map((r) => r.id as number));
    const late: number[] = [];
    for (const id of u.id) {
      this.leases.delete(id);
      if (!applied.has(id)) late.push(id);
    }
    if (late.length > 0) {
      this.leaseStats.lateCompletions += late.length;
      await this.query('count-late-completions', [late]);
      this.opts.logger?.warn({ delivery_ids: late.slice(0, 20), count: late.length }, 'outbox: outcome ignored, the lease had expired and the row was claimed again');
    }
  }

  async release(deliveryIds: number[]): Promise<void> {
    const held = this.held(deliveryIds);
    if (held.ids.length === 0) return;
    for (const id of held.ids) this.leases.delete(id);
    await this.query('release', [held.ids, held.tokens, this.now()]);
  }

  async replay(filter: ReplayFilter): Promise<number> {
    const { rows } = await this.query('replay', [
      this.now(),
      filter.status,
      filter.destination_id ?? null,
      filter.since ?? null,
      filter.delivery_ids ?? null,
      this.shard,
    ]);
    return rows[0]!.n as number;
  }

  async counts(now: number): Promise<DeliveryCounts[]> {
    const [totals, pending] = await Promise.all([this.query('counts', []), this.query('counts-pending', [])]);
    return foldDeliveryCounts(totals.rows, pending.rows, now);
  }

  async nextDueAt(destinationId: string): Promise<number | null> {
    const { rows } = await this.query('next-due', [destinationId]);
    return (rows[0]!.due as number | null) ?? null;
  }

  async listOrders(range: { from?: number; to?: number; sampleBelow?: number } = {}): Promise<OrderRecord[]> {
    const { rows } = await this.query('list-orders', [range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER, range.sampleBelow ?? SAMPLE_KEY_SPACE]);
    return rows.map((r) => {
      const o: OrderRecord = { order_id: r.order_id as string, topic: r.topic as OrderRecord['topic'], occurred_at: r.occurred_at as number };
      if (r.name !== null) o.name = r.name as string;
      if (r.total !== null) o.total = r.total as number;
      if (r.currency !== null) o.currency = r.currency as string;
      if (r.test !== null) o.test = r.test as boolean;
      if (r.financial_status !== null) o.financial_status = r.financial_status as string;
      if (r.refunded_amount !== null) o.refunded_amount = r.refunded_amount as number;
      return o;
    });
  }

  async countPaidOrders(range: { from: number; to: number }): Promise<number> {
    const { rows } = await this.query('count-paid-orders', [range.from, range.to]);
    return rows[0]!.n as number;
  }

  async listEvents(range: { from?: number; to?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    const { rows } = await this.query('list-events', [range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER, range.limit ?? 100_000]);
    return rows.map((r) => ({
      event: decodeStoredEvent(r.body as string, r.hashes as Buffer | null),
      source: r.source as StoredEvent['source'],
      test: r.test as boolean,
      received_at: r.received_at as number,
    }));
  }

  async scanEvents(query: EventScanQuery): Promise<EventScanPage> {
    const b = scanBounds(query);
    const { rows } = await this.query('scan-events', [b.from, b.to, b.after_at, b.after_id, b.limit, b.below]);
    return scanPage(rows, query);
  }

  async countEvents(range: { from: number; to: number }): Promise<number> {
    const { rows } = await this.query('count-events', [range.from, range.to]);
    return rows[0]!.n as number;
  }

  async hasEventFrom(query: { source: string; from: number; to: number }): Promise<boolean> {
    const { rows } = await this.query('has-event-from', [query.from, query.to, query.source]);
    return rows[0]!.seen === true;
  }

  async uploadOutcomeCounts(query: { destination_id: string; from: number; to: number }): Promise<UploadOutcomeCount[]> {
    const { rows } = await this.query('upload-outcome-counts', [query.destination_id, query.from, query.to]);
    return rows.map((r) => ({ status: r.status as UploadOutcomeCount['status'], error_code: (r.error_code as string | null) ?? null, n: r.n as number }));
  }

  async deliveryOutcomes(range: { from: number; to: number }): Promise<DeliveryOutcome[]> {
    const outcomes: DeliveryOutcome[] = [];
    await this.forEachDeliveryOutcome(range, (o) => outcomes.push(o));
    return outcomes;
  }

  async forEachDeliveryOutcome(range: { from: number; to: number }, visit: (outcome: DeliveryOutcome) => void, opts: { pageEvents?: number } = {}): Promise<void> {
    const pageEvents = opts.pageEvents ?? OUTCOME_PAGE_EVENTS;
    let after = 0;
    for (;;) {
      const { rows } = await this.query('delivery-outcomes', [range.from - RECEIVED_MARGIN_MS, range.from / 1000, range.to / 1000, after, pageEvents]);
      // The last row is the page's marker (destination_id NULL): the last event read, or NULL past the end.
      const marker = rows.pop();
      for (const r of rows) visit(outcomeOfRow(r));
      if (marker?.ref === null || marker?.ref === undefined) return;
      after = Number(marker.ref);
    }
  }

  async purchaseDeliveryOutcomes(eventIds: readonly string[]): Promise<DeliveryOutcome[]> {
    const out: DeliveryOutcome[] = [];
    for (let i = 0; i < eventIds.length; i += IDS_PER_STATEMENT) {
      const { rows } = await this.query('purchase-delivery-outcomes', [eventIds.slice(i, i + IDS_PER_STATEMENT)]);
      for (const r of rows) out.push(outcomeOfRow(r));
    }
    return out;
  }

  /**
   * Retention: deletes delivered rows finished more than `olderThanMs` ago, with their attempts, in bounded
   * batches; returns how many rows went. Totals keep counting them. Rows still pending, rejected or dead stay.
   */
  async pruneDelivered(olderThanMs: number): Promise<number> {
    const cutoff = this.now() - olderThanMs;
    let total = 0;
    for (;;) {
      const { rows } = await this.query('prune-delivered', [cutoff, PRUNE_BATCH]);
      const n = rows[0]!.n as number;
      total += n;
      if (n < PRUNE_BATCH || this.closed) return total;
    }
  }

  async activity(query: ActivityQuery): Promise<Activity> {
    return this.admin.activity(query);
  }

  async inspectEvents(query: string): Promise<InspectedEvent[]> {
    return this.admin.inspectEvents(query);
  }

  async deadLetters(query: DeadLetterQuery): Promise<DeadLetterPage> {
    return this.admin.deadLetters(query);
  }

  async saveBrowserContext(joinKeys: string[], context: BrowserContext): Promise<void> {
    if (joinKeys.length === 0) return;
    const now = this.now();
    await this.query('save-browser-context', [[...new Set(joinKeys)], JSON.stringify(context), now]);
    if (now - this.lastContextPrune >= BROWSER_CONTEXT_PRUNE_EVERY_MS) {
      this.lastContextPrune = now;
      // The context is saved; a failed prune is retried at the next interval.
      await this.pruneBrowserContexts(now - BROWSER_CONTEXT_RETENTION_MS).catch((err: Error) =>
        this.opts.logger?.warn({ err: { message: err.message } }, 'outbox: pruning browser contexts failed'),
      );
    }
  }

  async findBrowserContexts(joinKeys: string[], since: number): Promise<StoredBrowserContext[]> {
    if (joinKeys.length === 0) return [];
    const { rows } = await this.query('find-browser-contexts', [joinKeys, since]);
    return rows.map((r) => ({ join_key: r.join_key as string, context: r.context as BrowserContext, updated_at: r.updated_at as number }));
  }

  /** Deletes browser contexts last updated before `cutoff` (unix ms), in bounded batches; returns how many went. */
  async pruneBrowserContexts(cutoff: number): Promise<number> {
    let total = 0;
    for (;;) {
      const { rows } = await this.query('prune-browser-contexts', [cutoff, BROWSER_CONTEXT_PRUNE_BATCH]);
      const n = rows[0]!.n as number;
      total += n;
      if (n < BROWSER_CONTEXT_PRUNE_BATCH || this.closed) return total;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.pool.end();
  }
}

function orderValues(o: OrderRecord | undefined): unknown[] {
  return [
    o?.order_id ?? null,
    o?.topic ?? null,
    o?.name ?? null,
    o?.occurred_at ?? null,
    o?.total ?? null,
    o?.currency ?? null,
    o?.test ?? null,
    o?.financial_status ?? null,
    o?.refunded_amount ?? null,
  ];
}
