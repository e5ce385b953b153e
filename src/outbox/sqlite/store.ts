import Database from 'better-sqlite3';
import { InputError } from '../../errors.js';
import type { HashedEvent } from '../../identity/types.js';
import type { PlatformName } from '../../event/names.js';
import { sealContact, unsealContact } from '../seal.js';
import type {
  Activity,
  ActivityQuery,
  ClaimedDelivery,
  DeadLetterPage,
  DeadLetterQuery,
  DeliveryCounts,
  DeliveryOutcome,
  DeliveryUpdate,
  IngestItem,
  IngestResult,
  InspectedEvent,
  OrderRecord,
  OutboxStore,
  ReplayFilter,
  StoredEvent,
} from '../types.js';
import { BROWSER_CONTEXT_RETENTION_MS, DEFERRED_SKIP_REASONS, type BrowserContext, type StoredBrowserContext } from '../types.js';
import { Checkpointer } from './checkpointer.js';
import { sqliteActivity, sqliteDeadLetters, sqliteInspectEvents } from './admin-queries.js';
import { sqliteDeliveryOutcomes } from './delivery-outcomes.js';
import { runMigrations } from './migrate.js';
import { prepareStatements, type StatementName } from './statements.js';
import { clearOwner, ownerAlive, readOwner, writeOwner } from './owner-file.js';
import { WriteQueue } from './write-queue.js';

export type SqliteSynchronous = 'full' | 'normal';

export interface SqliteStoreOptions {
  /** 32-byte AES-256-GCM key sealing Klaviyo's contact; without it such deliveries are refused. */
  secretKey?: Buffer;
  /** FULL (default): a commit is on disk when ingest resolves. See src/outbox/README.md. */
  synchronous?: SqliteSynchronous;
  /** Injectable clock (unix ms) for received_at/created_at/finished_at; tests only. */
  now?: () => number;
  logger?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

type Row = Record<string, unknown>;

const FINAL = new Set(['delivered', 'rejected', 'dead']);
const DEFERRED_REASONS_JSON = JSON.stringify(DEFERRED_SKIP_REASONS);
/** Expired browser contexts are deleted at most this often (on a save). */
const BROWSER_CONTEXT_PRUNE_EVERY_MS = 3_600_000;

export class SqliteOutboxStore implements OutboxStore {
  private readonly db: Database.Database;
  private statements?: Record<StatementName, Database.Statement>;
  private readonly writes: WriteQueue;
  private readonly now: () => number;
  private closed = false;
  private warnedUnseal = false;
  private checkpointer?: Checkpointer;
  private lastContextPrune = 0;
  private owner = false;

  constructor(
    readonly path: string,
    private readonly opts: SqliteStoreOptions = {},
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    // Freed cell space (a sealed contact cleared on delivery) is zeroed where that costs no extra I/O.
    this.db.pragma('secure_delete = FAST');
    this.db.pragma('cache_size = -65536');
    this.db.pragma('journal_size_limit = 67108864');
    this.db.pragma('foreign_keys = OFF');
    if (path !== ':memory:') {
      // Checkpoints run in a background thread (checkpointer.ts); this is only the safety net (~40 MB of WAL).
      this.db.pragma('wal_autocheckpoint = 10000');
      this.checkpointer = new Checkpointer(path);
    }
    this.writes = new WriteQueue(this.db);
    this.now = opts.now ?? Date.now;
  }

  /** Group-commit counters (commits vs operations carried). */
  get writeStats(): { commits: number; operations: number } {
    return this.writes.stats;
  }

  async migrate(): Promise<void> {
    runMigrations(this.db);
    this.statements ??= prepareStatements(this.db);
  }

  private get sql(): Record<StatementName, Database.Statement> {
    if (!this.statements) throw new Error('outbox: migrate() must run before use');
    return this.statements;
  }

  async ingest(
    items: IngestItem[],
    opts: { webhook_id?: string; order?: OrderRecord } = {},
  ): Promise<IngestResult & { duplicate_webhook: boolean }> {
    // Refuse before queueing: the caller gets a clear error and nothing of the call is stored.
    if (!this.opts.secretKey && items.some((it) => it.deliveries.some((d) => d.needs_contact && d.status === 'pending'))) {
      throw new InputError(
        'MATCHKEY_SECRET_KEY',
        'a destination needs the raw contact (Klaviyo) but no secret key is configured to seal it at rest',
        'secret_key_missing',
      );
    }
    const sql = this.sql;
    return this.writes.run(() => {
      const now = this.now();
      if (opts.webhook_id !== undefined && sql['insert-webhook'].run({ webhook_id: opts.webhook_id, received_at: now }).changes === 0) {
        return { duplicate_webhook: true, items: items.map(() => ({ stored: false, deliveries_created: 0 })) };
      }
      const totals = new Totals();
      const results = items.map((item) => this.insertItem(item, now, totals));
      if (opts.order) this.insertOrder(opts.order, now);
      totals.write(sql['add-total']);
      return { duplicate_webhook: false, items: results };
    });
  }

  private insertItem(item: IngestItem, now: number, totals: Totals): { stored: boolean; deliveries_created: number } {
    const sql = this.sql;
    const { contact, ...hashed } = item.event;
    const inserted = sql['insert-event'].get({
      event_id: hashed.event_id,
      event_name: hashed.event_name,
      source: item.source,
      test: item.test ? 1 : 0,
      received_at: now,
      body: JSON.stringify(hashed),
    }) as { id: number } | undefined;
    const eventRef = inserted?.id ?? (sql['find-event'].get({ event_id: hashed.event_id, source: item.source }) as { id: number }).id;
    let created = 0;
    for (const d of item.deliveries) {
      const pending = d.status === 'pending';
      const sealed = pending && d.needs_contact && contact ? sealContact(contact, this.opts.secretKey!, hashed.event_id) : null;
      const row = {
        event_ref: eventRef,
        event_id: hashed.event_id,
        destination_id: d.destination_id,
        platform: d.platform,
        status: d.status,
        skip_reason: pending ? null : (d.skip_reason ?? null),
        created_at: now,
        next_attempt_at: pending ? now : null,
        finished_at: pending ? null : now,
        sealed_contact: sealed,
      };
      let changes = sql['insert-delivery'].run(row).changes;
      // The browser leg deferred this (destination, event_id) to the server leg, which is this event: take it over.
      if (changes === 0 && item.source !== 'browser') {
        const { platform: _platform, ...takeOver } = row;
        const taken = sql['take-over-deferred-delivery'].get({ ...takeOver, reasons: DEFERRED_REASONS_JSON }) as { platform: string } | undefined;
        if (taken) {
          totals.add(d.destination_id, taken.platform, 'skipped', -1);
          changes = 1;
        }
      }
      created += changes;
      if (changes && !pending) totals.add(d.destination_id, d.platform, d.status, 1);
    }
    return { stored: inserted !== undefined, deliveries_created: created };
  }

  private insertOrder(order: OrderRecord, now: number): void {
    this.sql['insert-order'].run({
      order_id: order.order_id,
      topic: order.topic,
      name: order.name ?? null,
      occurred_at: order.occurred_at,
      total: order.total ?? null,
      currency: order.currency ?? null,
      test: order.test === undefined ? null : order.test ? 1 : 0,
      financial_status: order.financial_status ?? null,
      refunded_amount: order.refunded_amount ?? null,
      received_at: now,
    });
  }

  async recordOrder(order: OrderRecord, opts: { webhook_id?: string } = {}): Promise<{ duplicate_webhook: boolean }> {
    const sql = this.sql;
    return this.writes.run(() => {
      const now = this.now();
      if (opts.webhook_id !== undefined && sql['insert-webhook'].run({ webhook_id: opts.webhook_id, received_at: now }).changes === 0) {
        return { duplicate_webhook: true };
      }
      this.insertOrder(order, now);
      return { duplicate_webhook: false };
    });
  }

  async claim(destinationId: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const sql = this.sql;
    const rows = await this.writes.run(
      () => sql['claim'].all({ destination_id: destinationId, now, limit, lease_until: now + leaseMs }) as Row[],
    );
    rows.sort((a, b) => (a.id as number) - (b.id as number));
    return rows.map((r) => {
      const body = sql['event-body'].get({ id: r.event_ref }) as { event_id: string; body: string };
      const event = JSON.parse(body.body) as HashedEvent;
      if (r.sealed_contact) {
        const contact = this.unseal(r.sealed_contact as Buffer, body.event_id, r.id as number);
        if (contact) event.contact = contact;
      }
      const claimed: ClaimedDelivery = {
        delivery_id: r.id as number,
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

  private unseal(blob: Buffer, eventId: string, deliveryId: number) {
    if (this.opts.secretKey) {
      try {
        return unsealContact(blob, this.opts.secretKey, eventId);
      } catch {
        // Wrong key (rotated without migration): fall through to the warning.
      }
    }
    if (!this.warnedUnseal) {
      this.warnedUnseal = true;
      this.opts.logger?.error({ delivery_id: deliveryId }, 'outbox: a sealed contact cannot be opened with the configured MATCHKEY_SECRET_KEY');
    }
    return undefined;
  }

  async renewLeases(deliveryIds: number[], until: number): Promise<void> {
    if (deliveryIds.length === 0) return;
    const sql = this.sql;
    await this.writes.run(() => sql['renew-leases'].run({ ids: JSON.stringify(deliveryIds), until }));
  }

  async complete(updates: DeliveryUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const sql = this.sql;
    await this.writes.run(() => {
      const now = this.now();
      const totals = new Totals();
      for (const u of updates) {
        const final = FINAL.has(u.status);
        const attempt = u.attempt;
        const changed = sql['complete'].get({
          id: u.delivery_id,
          status: u.status,
          counted: attempt ? 1 : 0,
          next_attempt_at: u.status === 'pending' ? u.next_attempt_at : null,
          at: attempt?.at ?? null,
          finished_at: final ? now : null,
          error_code: u.status === 'delivered' ? null : u.error_code,
          error_message: u.status === 'delivered' ? null : u.error_message,
          final: final ? 1 : 0,
        }) as { destination_id: string; platform: string } | undefined;
        if (changed && final) totals.add(changed.destination_id, changed.platform, u.status, 1);
        if (attempt) {
          sql['insert-attempt'].run({
            delivery_id: u.delivery_id,
            at: attempt.at,
            latency_ms: Math.round(attempt.latency_ms),
            http_status: attempt.http_status ?? null,
            outcome: attempt.outcome,
            platform_code: attempt.platform_code ?? null,
            message: attempt.message ?? null,
          });
        }
      }
      totals.write(sql['add-total']);
    });
  }

  async release(deliveryIds: number[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    const sql = this.sql;
    await this.writes.run(() => sql['release'].run({ ids: JSON.stringify(deliveryIds), now: this.now() }));
  }

  async replay(filter: ReplayFilter): Promise<number> {
    const sql = this.sql;
    return this.writes.run(() => {
      const rows = sql['replay'].all({
        now: this.now(),
        status: filter.status,
        destination_id: filter.destination_id ?? null,
        since: filter.since ?? null,
        ids: filter.delivery_ids ? JSON.stringify(filter.delivery_ids) : null,
      }) as { destination_id: string; platform: string }[];
      const totals = new Totals();
      for (const r of rows) totals.add(r.destination_id, r.platform, filter.status, -1);
      totals.write(sql['add-total']);
      return rows.length;
    });
  }

  async counts(now: number): Promise<DeliveryCounts[]> {
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
    for (const r of this.sql['counts'].all() as Row[]) {
      const status = r.status as string;
      if (status === 'delivered' || status === 'rejected' || status === 'dead' || status === 'skipped') entry(r)[status] += r.n as number;
    }
    for (const r of this.sql['counts-pending'].all() as Row[]) {
      const c = entry(r);
      if (r.retrying) c.retrying += r.n as number;
      else c.pending += r.n as number;
      c.oldest_pending_ms = Math.max(c.oldest_pending_ms, now - (r.oldest as number));
    }
    return [...byDestination.values()].sort((a, b) => a.destination_id.localeCompare(b.destination_id));
  }

  async nextDueAt(destinationId: string): Promise<number | null> {
    const row = this.sql['next-due'].get({ destination_id: destinationId }) as { due: number | null };
    return row.due;
  }

  async listOrders(range: { from?: number; to?: number } = {}): Promise<OrderRecord[]> {
    const rows = this.sql['list-orders'].all({ from: range.from ?? 0, to: range.to ?? Number.MAX_SAFE_INTEGER }) as Row[];
    return rows.map((r) => {
      const o: OrderRecord = { order_id: r.order_id as string, topic: r.topic as OrderRecord['topic'], occurred_at: r.occurred_at as number };
      if (r.name !== null) o.name = r.name as string;
      if (r.total !== null) o.total = r.total as number;
      if (r.currency !== null) o.currency = r.currency as string;
      if (r.test !== null) o.test = r.test === 1;
      if (r.financial_status !== null) o.financial_status = r.financial_status as string;
      if (r.refunded_amount !== null) o.refunded_amount = r.refunded_amount as number;
      return o;
    });
  }

  async listEvents(range: { from?: number; to?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    const rows = this.sql['list-events'].all({
      from: range.from ?? 0,
      to: range.to ?? Number.MAX_SAFE_INTEGER,
      limit: range.limit ?? 100_000,
    }) as Row[];
    return rows.map((r) => ({
      event: JSON.parse(r.body as string) as HashedEvent,
      source: r.source as StoredEvent['source'],
      test: r.test === 1,
      received_at: r.received_at as number,
    }));
  }

  async deliveryOutcomes(range: { from: number; to: number }): Promise<DeliveryOutcome[]> {
    return sqliteDeliveryOutcomes(this.db, range);
  }

  async activity(query: ActivityQuery): Promise<Activity> {
    return sqliteActivity(this.db, query);
  }

  async inspectEvents(query: string): Promise<InspectedEvent[]> {
    return sqliteInspectEvents(this.db, query);
  }

  async deadLetters(query: DeadLetterQuery): Promise<DeadLetterPage> {
    return sqliteDeadLetters(this.db, query);
  }

  async saveBrowserContext(joinKeys: string[], context: BrowserContext): Promise<void> {
    if (joinKeys.length === 0) return;
    const sql = this.sql;
    const json = JSON.stringify(context);
    await this.writes.run(() => {
      const now = this.now();
      for (const key of new Set(joinKeys)) sql['save-browser-context'].run({ join_key: key, context: json, updated_at: now });
      if (now - this.lastContextPrune >= BROWSER_CONTEXT_PRUNE_EVERY_MS) {
        this.lastContextPrune = now;
        sql['prune-browser-contexts'].run({ before: now - BROWSER_CONTEXT_RETENTION_MS });
      }
    });
  }

  async findBrowserContexts(joinKeys: string[], since: number): Promise<StoredBrowserContext[]> {
    if (joinKeys.length === 0) return [];
    const rows = this.sql['find-browser-contexts'].all({ keys: JSON.stringify(joinKeys), since }) as { join_key: string; context: string; updated_at: number }[];
    return rows.map((r) => ({ join_key: r.join_key, context: JSON.parse(r.context) as BrowserContext, updated_at: r.updated_at }));
  }

  async takeOwnership(): Promise<number> {
    if (this.path === ':memory:') return 0;
    const previous = readOwner(this.path);
    if (previous && ownerAlive(previous)) {
      this.opts.logger?.warn(
        { owner_pid: previous.pid, owner_host: previous.host },
        'outbox: another running gateway serves this SQLite file; its leases are left to expire (several instances need the PostgreSQL store)',
      );
      return 0;
    }
    const sql = this.sql;
    const released = await this.writes.run(() => sql['release-orphaned-leases'].run({ now: this.now() }).changes);
    writeOwner(this.path);
    this.owner = true;
    if (released > 0) this.opts.logger?.warn({ released }, 'outbox: rows leased by a gateway that stopped without releasing them are due again');
    return released;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.owner) clearOwner(this.path);
    this.writes.flush();
    await this.checkpointer?.stop();
    this.db.close();
  }
}

/** Changes to delivery_totals gathered over one operation and written as one upsert per (destination, status). */
class Totals {
  private readonly deltas = new Map<string, { destination_id: string; platform: string; status: string; n: number }>();
  add(destination_id: string, platform: string, status: string, n: number): void {
    const key = `${destination_id}\u0000${status}`;
    const d = this.deltas.get(key);
    if (d) d.n += n;
    else this.deltas.set(key, { destination_id, platform, status, n });
  }
  write(statement: Database.Statement): void {
    for (const d of this.deltas.values()) if (d.n !== 0) statement.run(d);
  }
}
