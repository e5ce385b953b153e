import type Database from 'better-sqlite3';
import { InputError } from '../../errors.js';
import type { HashedEvent } from '../../identity/types.js';
import type { PlatformName } from '../../event/names.js';
import { ContactOpener, sealContact } from '../seal.js';
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
import type { BrowserContext, StoredBrowserContext } from '../types.js';
import { foldDeliveryCounts } from '../delivery-counts.js';
import { scanBounds, scanPage } from '../event-scan.js';
import { scheduleRetention } from '../retention.js';
import { decodeStoredEvent, encodeStoredEvent } from '../stored-event.js';
import { Checkpointer } from './checkpointer.js';
import { sqliteActivity, sqliteDeadLetters, sqliteInspectEvents } from './admin-queries.js';
import { outcomeOfRow } from '../delivery-outcome-row.js';
import { sqliteDeliveryOutcomes, sqliteForEachDeliveryOutcome } from './delivery-outcomes.js';
import { runMigrations } from './migrate.js';
import { readOrders } from './order-rows.js';
import { prepareStatements, type StatementName } from './statements.js';
import { clearOwner, ownerAlive, readOwner, writeOwner } from './owner-file.js';
import { openConnection, type SqliteSynchronous } from './connection.js';
import { InThreadWrites, ThreadWrites, type WriteExecutor } from './writes.js';
import type { ClaimedRow, IngestOpResult, WireIngestItem, WriteOp } from './writer.js';

export type { SqliteSynchronous } from './connection.js';

export interface SqliteStoreOptions {
  /** 32-byte AES-256-GCM key sealing Klaviyo's contact; without it such deliveries are refused. */
  secretKey?: Buffer;
  /** FULL (default): a commit is on disk when ingest resolves. See src/outbox/README.md. */
  synchronous?: SqliteSynchronous;
  /**
   * Writes on a writer thread with its own connection (default for a database file; see writes.ts), or on the
   * calling thread (false; always for `:memory:`). Same operations, same group commit, same guarantees.
   */
  writerThread?: boolean;
  /**
   * Retention (`?retention_days=N`): delivered rows finished longer ago than this are deleted with their attempts,
   * every `pruneEveryMs` (default 10 min). See pruneDelivered.
   */
  retentionMs?: number;
  pruneEveryMs?: number;
  /** Injectable clock (unix ms) for received_at/created_at/finished_at; tests only. */
  now?: () => number;
  logger?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

type Row = Record<string, unknown>;

/** Event ids per purchase-delivery-outcomes statement: each is a seek, a chunk a few milliseconds. */
const IDS_PER_STATEMENT = 1000;

/**
 * Delivered rows deleted per retention write. Each batch is one operation of the writer's queue, between the group
 * commits of ingest, so a batch is kept short (~10 ms) rather than the PostgreSQL store's 10,000.
 */
const PRUNE_BATCH = 1000;

/** Parsed events kept for the claims of the other destinations (see storedEvent): ~4 KiB of heap each. */
const EVENT_CACHE_SIZE = 2048;


export class SqliteOutboxStore implements OutboxStore {
  private readonly db: Database.Database;
  private statements?: Record<StatementName, Database.Statement>;
  private executor?: WriteExecutor;
  private readonly contacts: ContactOpener;
  private readonly now: () => number;
  private closed = false;
  private checkpointer?: Checkpointer;
  private owner = false;
  private readonly recentEvents = new Map<number, HashedEvent>();
  private pruneTimer?: NodeJS.Timeout;

  constructor(
    readonly path: string,
    private readonly opts: SqliteStoreOptions = {},
  ) {
    this.db = openConnection(path, opts.synchronous);
    if (path !== ':memory:') this.checkpointer = new Checkpointer(path);
    this.now = opts.now ?? Date.now;
    this.contacts = new ContactOpener(opts.secretKey, opts.logger);
  }

  /** Group-commit counters (commits vs operations carried). */
  get writeStats(): { commits: number; operations: number } {
    return this.executor?.stats ?? { commits: 0, operations: 0 };
  }

  async migrate(): Promise<void> {
    runMigrations(this.db);
    this.statements ??= prepareStatements(this.db);
    // Started on the migrated schema: the writer prepares its statements against it.
    if (!this.executor) {
      this.executor =
        this.path === ':memory:' || this.opts.writerThread === false
          ? new InThreadWrites(this.db)
          : await ThreadWrites.start(this.path, this.opts.synchronous ?? 'full');
    }
    const retentionMs = this.opts.retentionMs;
    // The index retention reads delivered rows by: only while retention is on, since every delivered row would
    // otherwise carry an index entry (~20 bytes, and its insert at each completion) that nothing reads.
    if (retentionMs === undefined) this.db.exec('DROP INDEX IF EXISTS deliveries_delivered_age');
    else this.db.exec(`CREATE INDEX IF NOT EXISTS deliveries_delivered_age ON deliveries (finished_at) WHERE status = 'delivered'`);
    if (retentionMs !== undefined) this.pruneTimer ??= scheduleRetention((ms) => this.pruneDelivered(ms), retentionMs, this.opts.pruneEveryMs, this.opts.logger);
  }

  /**
   * Retention: deletes delivered rows finished more than `olderThanMs` ago, with their attempts, in batches of
   * PRUNE_BATCH; returns how many rows went. Their events stay (diagnostics, reconciliation) and are marked, so a
   * late copy creates no new delivery. Totals keep counting the rows; pending, rejected and dead rows stay.
   */
  async pruneDelivered(olderThanMs: number): Promise<number> {
    const cutoff = this.now() - olderThanMs;
    let total = 0;
    while (!this.closed) {
      const n = await this.writes.run<number>({ kind: 'prune-delivered', cutoff, limit: PRUNE_BATCH });
      total += n;
      if (n < PRUNE_BATCH) break;
    }
    return total;
  }

  private get writes(): WriteExecutor {
    if (!this.executor) throw new Error('outbox: migrate() must run before use');
    return this.executor;
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
    const key = this.opts.secretKey;
    const wire: WireIngestItem[] = items.map((item) => {
      const { event, deliveries } = item;
      const contact = event.contact;
      // Sealed here, so the raw contact never leaves this thread; a fresh IV per row (seal.ts).
      const sealed = deliveries.map((d) => (d.status === 'pending' && d.needs_contact && contact && key ? sealContact(contact, key, event.event_id) : null));
      const { body, hashes } = encodeStoredEvent(event);
      return { event_id: event.event_id, event_name: event.event_name, source: item.source, test: item.test, body, hashes, deliveries, sealed };
    });
    const op: Extract<WriteOp, { kind: 'ingest' }> = { kind: 'ingest', now: this.now(), items: wire };
    if (opts.webhook_id !== undefined) op.webhook_id = opts.webhook_id;
    if (opts.order !== undefined) op.order = opts.order;
    return this.writes.run<IngestOpResult>(op);
  }

  async recordOrder(order: OrderRecord, opts: { webhook_id?: string } = {}): Promise<{ duplicate_webhook: boolean }> {
    const op: Extract<WriteOp, { kind: 'record-order' }> = { kind: 'record-order', now: this.now(), order };
    if (opts.webhook_id !== undefined) op.webhook_id = opts.webhook_id;
    return this.writes.run(op);
  }

  async claim(destinationId: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    // Due rows, then first tries from the queue (writer.ts claim).
    const rows = await this.writes.run<ClaimedRow[]>({ kind: 'claim', destination_id: destinationId, now, limit, lease_until: now + leaseMs });
    return rows.map((r) => {
      const stored = this.storedEvent(r.event_ref);
      let event = stored;
      if (r.sealed_contact) {
        const contact = this.contacts.open(r.sealed_contact, stored.event_id, r.id);
        // The shared event stays without contact: only this claim's copy carries it.
        if (contact) event = { ...stored, contact };
      }
      const claimed: ClaimedDelivery = {
        delivery_id: r.id,
        destination_id: destinationId,
        platform: r.platform as PlatformName,
        attempts: r.attempts,
        created_at: r.created_at,
        event,
      };
      if (r.first_attempt_at !== null) claimed.first_attempt_at = r.first_attempt_at;
      return claimed;
    });
  }

  /**
   * The stored event of a delivery row. Each destination claims the same event (five times with five
   * destinations), usually within moments of the others: reading and parsing its JSON once for all of them was
   * ~6 µs of the event loop per claimed row. Events never change once stored, so the recently claimed ones are kept
   * parsed, deeply frozen (a claim's reader mutating a shared event would reach the other destinations; frozen, it
   * fails loudly instead), at most EVENT_CACHE_SIZE of them.
   */
  private storedEvent(eventRef: number): HashedEvent {
    const cached = this.recentEvents.get(eventRef);
    if (cached) return cached;
    const row = this.sql['event-body'].get(eventRef) as { event_id: string; body: string; hashes: Uint8Array | null };
    const event = deepFreeze(decodeStoredEvent(row.body, row.hashes));
    this.recentEvents.set(eventRef, event);
    if (this.recentEvents.size > EVENT_CACHE_SIZE) this.recentEvents.delete(this.recentEvents.keys().next().value!);
    return event;
  }

  async renewLeases(deliveryIds: number[], until: number): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.writes.run({ kind: 'renew-leases', ids: deliveryIds, until });
  }

  async complete(updates: DeliveryUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await this.writes.run({ kind: 'complete', now: this.now(), updates });
  }

  async release(deliveryIds: number[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.writes.run({ kind: 'release', ids: deliveryIds, now: this.now() });
  }

  async replay(filter: ReplayFilter): Promise<number> {
    return this.writes.run<number>({ kind: 'replay', now: this.now(), filter });
  }

  async counts(now: number): Promise<DeliveryCounts[]> {
    // Off the event loop where there is a second connection (a file), as every reading that does not write.
    const rows = this.checkpointer ? await this.checkpointer.countRows() : { totals: this.sql['counts'].all() as Row[], pending: this.sql['counts-pending'].all() as Row[] };
    return foldDeliveryCounts(rows.totals, rows.pending, now);
  }

  async nextDueAt(destinationId: string): Promise<number | null> {
    const row = this.sql['next-due'].get({ destination_id: destinationId }) as { due: number | null };
    return row.due;
  }

  async listOrders(range: { from?: number; to?: number; sampleBelow?: number } = {}): Promise<OrderRecord[]> {
    return readOrders(this.sql['list-orders'], range);
  }

  async countPaidOrders(range: { from: number; to: number }): Promise<number> {
    return (this.sql['count-paid-orders'].get(range) as { n: number }).n;
  }

  async listEvents(range: { from?: number; to?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    // Parsed row by row: `.all()` then map held every row's JSON text beside its parsed event, which for the
    // daily snapshot's 100,000 events was ~190 MiB of heap on top of the ~260 MiB the events themselves take.
    const rows = this.sql['list-events'].iterate({
      from: range.from ?? 0,
      to: range.to ?? Number.MAX_SAFE_INTEGER,
      limit: range.limit ?? 100_000,
    }) as IterableIterator<Row>;
    const events: StoredEvent[] = [];
    for (const r of rows) {
      events.push({
        event: decodeStoredEvent(r.body as string, r.hashes as Uint8Array | null),
        source: r.source as StoredEvent['source'],
        test: r.test === 1,
        received_at: r.received_at as number,
      });
    }
    return events;
  }

  async scanEvents(query: EventScanQuery): Promise<EventScanPage> {
    return scanPage(this.sql['scan-events'].iterate(scanBounds(query)) as IterableIterator<Row>, query);
  }

  async countEvents(range: { from: number; to: number }): Promise<number> {
    return (this.sql['count-events'].get(range) as { n: number }).n;
  }

  async hasEventFrom(query: { source: string; from: number; to: number }): Promise<boolean> {
    return (this.sql['has-event-from'].get(query) as { seen: number }).seen === 1;
  }

  async uploadOutcomeCounts(query: { destination_id: string; from: number; to: number }): Promise<UploadOutcomeCount[]> {
    return this.sql['upload-outcome-counts'].all(query) as UploadOutcomeCount[];
  }

  async deliveryOutcomes(range: { from: number; to: number }): Promise<DeliveryOutcome[]> {
    return sqliteDeliveryOutcomes(this.db, range);
  }

  async forEachDeliveryOutcome(range: { from: number; to: number }, visit: (outcome: DeliveryOutcome) => void): Promise<void> {
    sqliteForEachDeliveryOutcome(this.db, range, visit);
  }

  async purchaseDeliveryOutcomes(eventIds: readonly string[]): Promise<DeliveryOutcome[]> {
    const out: DeliveryOutcome[] = [];
    for (let i = 0; i < eventIds.length; i += IDS_PER_STATEMENT) {
      // Each statement runs on the event loop: between chunks, whatever else waits (HTTP, acks) gets its turn.
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      const rows = this.sql['purchase-delivery-outcomes'].all({ event_ids: JSON.stringify(eventIds.slice(i, i + IDS_PER_STATEMENT)) }) as Row[];
      for (const r of rows) out.push(outcomeOfRow(r));
    }
    return out;
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
    await this.writes.run({ kind: 'save-browser-context', now: this.now(), keys: joinKeys, context: JSON.stringify(context) });
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
    const released = await this.writes.run<number>({ kind: 'release-orphaned-leases', now: this.now() });
    writeOwner(this.path);
    this.owner = true;
    if (released > 0) this.opts.logger?.warn({ released }, 'outbox: rows leased by a gateway that stopped without releasing them are due again');
    return released;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    if (this.owner) clearOwner(this.path);
    await this.executor?.close();
    await this.checkpointer?.stop();
    this.db.close();
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
