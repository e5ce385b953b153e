import type Database from 'better-sqlite3';
import { orderEventId } from '../../event/event-id.js';
import { sampleKey } from '../event-scan.js';
import type { AttemptRecord, DeliveryUpdate, NewDelivery, OrderRecord, ReplayFilter } from '../types.js';
import { BROWSER_CONTEXT_RETENTION_MS } from '../types.js';
import type { GroupHooks } from './write-queue.js';
import { prepareStatements, type StatementName } from './statements.js';
import { MAX_DESTINATION_NUMBERS, queuedDeliveryId, queuedDeliveryOf } from './queued-delivery.js';

// Every write of the SQLite outbox as a plain, serializable operation, executed against one connection. The
// store runs them in a WriteQueue (group commit) either on its own thread or on the writer thread
// (write-thread.ts), where the commit's fsync no longer stalls HTTP: the two modes share this code.

/** An event as the writer stores it: already encoded (stored-event.ts; never with the raw contact). */
export interface WireIngestItem {
  event_id: string;
  event_name: string;
  source: string;
  test: boolean;
  body: string;
  /** The body's identity hashes in binary (stored-event.ts), null when it has none. */
  hashes: Uint8Array | null;
  deliveries: NewDelivery[];
  /**
   * Per delivery (same index), Klaviyo's contact already sealed (seal.ts) for a pending row that needs it, else
   * null. Sealed by the caller, so the raw contact never reaches the writer.
   */
  sealed: (Uint8Array | null)[];
}

export type WriteOp =
  | { kind: 'ingest'; now: number; items: WireIngestItem[]; webhook_id?: string; order?: OrderRecord }
  | { kind: 'record-order'; now: number; order: OrderRecord; webhook_id?: string }
  | { kind: 'claim'; destination_id: string; now: number; limit: number; lease_until: number }
  | { kind: 'renew-leases'; ids: number[]; until: number }
  | { kind: 'complete'; now: number; updates: DeliveryUpdate[] }
  | { kind: 'release'; ids: number[]; now: number }
  | { kind: 'replay'; now: number; filter: ReplayFilter }
  | { kind: 'save-browser-context'; now: number; keys: string[]; context: string }
  | { kind: 'release-orphaned-leases'; now: number }
  | { kind: 'prune-delivered'; cutoff: number; limit: number };

/** A claimed delivery as the writer returns it: a row (claim.sql) or a queue entry under its synthetic id. */
export interface ClaimedRow {
  id: number;
  event_ref: number;
  platform: string;
  attempts: number;
  created_at: number;
  first_attempt_at: number | null;
  sealed_contact: Uint8Array | null;
}

export interface IngestOpResult {
  duplicate_webhook: boolean;
  items: { stored: boolean; deliveries_created: number }[];
}

const FINAL = new Set(['delivered', 'rejected', 'dead']);
/** Expired browser contexts are deleted at most this often (on a save). */
const BROWSER_CONTEXT_PRUNE_EVERY_MS = 3_600_000;

export class SqliteWriter implements GroupHooks {
  private readonly sql: Record<StatementName, Database.Statement>;
  private lastContextPrune = 0;
  /**
   * The running counts' changes since the last flushDeferred(): summed over a whole group commit, so ~14
   * single-event ingests write one upsert per destination instead of one each. Written by the queue before the
   * commit (or after each operation, inside its savepoint, when a group is replayed one savepoint per operation).
   */
  private counts = new Counters();
  /** Queue numbers of destinations (migration 009), both ways; a number assigned in a rolled-back group is dropped. */
  private numbers = new Map<string, number>();
  private destinations = new Map<number, { destination_id: string; platform: string }>();

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
    // insertItem reads the one RETURNING column as a plain value.
    this.sql['insert-event'].pluck();
    this.sql['destination-number'].pluck();
    this.loadDestinationNumbers();
  }

  private loadDestinationNumbers(): void {
    this.numbers = new Map();
    this.destinations = new Map();
    for (const r of this.sql['destination-numbers'].all() as { no: number; destination_id: string; platform: string }[]) {
      this.numbers.set(`${r.destination_id}\u0000${r.platform}`, r.no);
      this.destinations.set(r.no, { destination_id: r.destination_id, platform: r.platform });
    }
  }

  /** The destination's queue number, assigned on first use; undefined once the numbers run out (rows are used then). */
  private destinationNo(destination_id: string, platform: string): number | undefined {
    const key = `${destination_id}\u0000${platform}`;
    let no = this.numbers.get(key);
    if (no === undefined) {
      no = this.sql['destination-number'].get({ destination_id, platform }) as number;
      this.numbers.set(key, no);
      this.destinations.set(no, { destination_id, platform });
    }
    return no < MAX_DESTINATION_NUMBERS ? no : undefined;
  }

  execute(op: WriteOp): unknown {
    switch (op.kind) {
      case 'ingest':
        return this.ingest(op);
      case 'record-order':
        return this.recordOrder(op);
      case 'claim':
        return this.claim(op);
      case 'renew-leases':
        return void this.lease(op.ids, op.until, (ids) => this.sql['renew-leases'].run({ ids, until: op.until }));
      case 'complete':
        return void this.complete(op.now, op.updates);
      case 'release':
        return void this.lease(op.ids, null, (ids) => this.sql['release'].run({ ids, now: op.now }));
      case 'replay':
        return this.replay(op.now, op.filter);
      case 'save-browser-context':
        return void this.saveBrowserContext(op);
      case 'release-orphaned-leases':
        return this.sql['release-orphaned-leases'].run({ now: op.now }).changes + this.sql['release-orphaned-queued'].run({ now: op.now }).changes;
      case 'prune-delivered':
        return this.pruneDelivered(op.cutoff, op.limit);
    }
  }

  private ingest(op: Extract<WriteOp, { kind: 'ingest' }>): IngestOpResult {
    const { now, items } = op;
    if (op.webhook_id !== undefined && this.sql['insert-webhook'].run({ webhook_id: op.webhook_id, received_at: now }).changes === 0) {
      return { duplicate_webhook: true, items: items.map(() => ({ stored: false, deliveries_created: 0 })) };
    }
    const counters = this.counts;
    const results = items.map((item) => this.insertItem(item, now, counters));
    if (op.order) this.insertOrder(op.order, now);
    return { duplicate_webhook: false, items: results };
  }

  private insertItem(item: WireIngestItem, now: number, counters: Counters): { stored: boolean; deliveries_created: number } {
    const sql = this.sql;
    const eventId = item.event_id;
    const insertedId = sql['insert-event'].get(eventId, item.event_name, item.source, item.test ? 1 : 0, now, item.body, item.hashes) as number | undefined;
    let eventRef: number;
    if (insertedId !== undefined) eventRef = insertedId;
    else {
      const stored = sql['find-event'].get({ event_id: eventId, source: item.source }) as { id: number; deliveries_pruned: number };
      // Retention deleted its delivered rows (pruneDelivered): this is a late copy of an event already delivered.
      if (stored.deliveries_pruned === 1) return { stored: false, deliveries_created: 0 };
      eventRef = stored.id;
    }
    // Only when another leg stored this event_id can a delivery collide with one of its rows (one per destination
    // and event_id, whichever leg holds it): most events skip the lookup per delivery.
    const twin = sql['has-twin'].get({ event_id: eventId, id: eventRef }) as { pruned: number } | undefined;
    if (twin?.pruned === 1) return { stored: insertedId !== undefined, deliveries_created: 0 };
    // A new event with no twin cannot collide with any delivery: its first tries are queued without a lookup. A
    // re-sent copy (the event was stored) or a twin looks for the delivery each destination already has.
    const lookup = twin !== undefined || insertedId === undefined;
    let created = 0;
    for (let i = 0; i < item.deliveries.length; i++) {
      const d = item.deliveries[i]!;
      const pending = d.status === 'pending';
      const sealed = item.sealed[i] ?? null;
      const skipReason = pending ? null : (d.skip_reason ?? null);
      const nextAttemptAt = pending ? now : null;
      const finishedAt = pending ? null : now;
      let changes = 0;
      const current = lookup
        ? (sql['twin-delivery'].get({ destination_id: d.destination_id, event_id: eventId }) as
            | { id: number | null; status: string; attempts: number; sent_latency_ms: number | null; source: string; queued_ref: number | null; queued_no: number | null; lease_until: number | null }
            | undefined)
        : undefined;
      if (!current) {
        const no = pending ? this.destinationNo(d.destination_id, d.platform) : undefined;
        changes =
          no !== undefined
            ? sql['insert-queued'].run(no, eventRef, now, sealed).changes
            : sql['insert-delivery'].run(eventRef, d.destination_id, d.platform, d.status, skipReason, now, nextAttemptAt, finishedAt, sealed).changes;
      } else if (current.source === 'browser' && item.source !== 'browser') {
        // A browser event holds this (destination, event_id): the server copy, which this event is, takes it over.
        if (current.queued_ref !== null) {
          // Its first try was still queued: the entry goes, and the server copy gets a row saying what it took over.
          sql['delete-queued'].run({ destination_no: current.queued_no, event_ref: current.queued_ref });
          sql['insert-taken-over'].run({
            id: queuedDeliveryId(current.queued_ref, current.queued_no!),
            event_ref: eventRef,
            destination_id: d.destination_id,
            platform: d.platform,
            status: d.status,
            skip_reason: skipReason,
            created_at: now,
            next_attempt_at: nextAttemptAt,
            lease_until: current.lease_until,
            finished_at: finishedAt,
            sealed_contact: sealed,
          });
          counters.backlog(d.destination_id, d.platform, false, -1);
        } else {
          if (current.sent_latency_ms !== null) {
            // Its folded attempt is about to be cleared: it moves to `attempts`, where activity counts it from now on.
            for (const a of sql['unfold-attempt'].all({ id: current.id }) as { at: number }[]) counters.activity(a.at, d.destination_id, d.platform, -1);
          }
          const taken = sql['take-over-browser-delivery'].get({
            id: current.id,
            event_ref: eventRef,
            status: d.status,
            skip_reason: skipReason,
            created_at: now,
            next_attempt_at: nextAttemptAt,
            finished_at: finishedAt,
            sealed_contact: sealed,
          }) as { platform: string; taken_over_from: string };
          if (taken.taken_over_from !== 'pending') counters.total(d.destination_id, taken.platform, taken.taken_over_from, -1);
          else counters.backlog(d.destination_id, taken.platform, current.attempts > 0, -1);
        }
        changes = 1;
      }
      created += changes;
      if (changes) {
        if (pending) counters.backlog(d.destination_id, d.platform, false, 1);
        else counters.total(d.destination_id, d.platform, d.status, 1);
      }
    }
    return { stored: insertedId !== undefined, deliveries_created: created };
  }

  /**
   * Due rows first (retries, replays, taken-over rows: claim.sql), then first tries from the queue, each in the
   * order their events were stored; a queue entry under its synthetic id (queued-delivery.ts).
   */
  private claim(op: Extract<WriteOp, { kind: 'claim' }>): ClaimedRow[] {
    const rows = this.sql['claim'].all({ destination_id: op.destination_id, now: op.now, limit: op.limit, lease_until: op.lease_until }) as ClaimedRow[];
    // In the order their events were stored (RETURNING's order is not defined; ids no longer tell it: queued-delivery.ts).
    rows.sort((a, b) => a.event_ref - b.event_ref);
    if (rows.length >= op.limit) return rows;
    let numbers = this.numbersOf(op.destination_id);
    if (numbers.length === 0) {
      // A number another writer of the file assigned (a second gateway on it, which the store warns about) is read
      // from the table when this destination has none here yet.
      this.loadDestinationNumbers();
      numbers = this.numbersOf(op.destination_id);
    }
    for (const [no, dest] of numbers) {
      const entries = this.sql['claim-queued'].all({ destination_no: no, now: op.now, limit: op.limit - rows.length, lease_until: op.lease_until }) as {
        event_ref: number;
        created_at: number;
        sealed_contact: Uint8Array | null;
      }[];
      entries.sort((a, b) => a.event_ref - b.event_ref);
      for (const e of entries) {
        rows.push({
          id: queuedDeliveryId(e.event_ref, no),
          event_ref: e.event_ref,
          platform: dest.platform,
          attempts: 0,
          created_at: e.created_at,
          first_attempt_at: null,
          sealed_contact: e.sealed_contact,
        });
      }
    }
    return rows;
  }

  /** The queue numbers of a destination (more than one if its platform changed), with what each stands for. */
  private numbersOf(destination_id: string): [number, { destination_id: string; platform: string }][] {
    const out: [number, { destination_id: string; platform: string }][] = [];
    for (const entry of this.destinations) if (entry[1].destination_id === destination_id && entry[0] < MAX_DESTINATION_NUMBERS) out.push(entry);
    return out;
  }

  /**
   * Renews (until) or releases (null) the leases of claimed deliveries: queue entries still held, and rows (`byRows`,
   * a JSON array of row ids) — a negative id names an entry until its delivery has a row, then that row.
   */
  private lease(ids: number[], until: number | null, byRows: (ids: string) => unknown): void {
    for (const id of ids) {
      const queued = queuedDeliveryOf(id);
      if (queued) this.sql['lease-queued'].run({ until, destination_no: queued.destinationNo, event_ref: queued.eventRef });
    }
    byRows(JSON.stringify(ids));
  }

  /**
   * Retention, one batch: delivered rows finished before `cutoff`, their attempts, and the mark on their events. The
   * running totals keep counting them (they are totals of what was delivered, not of the rows kept).
   */
  private pruneDelivered(cutoff: number, limit: number): number {
    const rows = this.sql['prunable-delivered'].all({ cutoff, limit }) as { id: number; event_ref: number }[];
    if (rows.length === 0) return 0;
    const ids = JSON.stringify(rows.map((r) => r.id));
    this.sql['mark-deliveries-pruned'].run({ event_refs: JSON.stringify([...new Set(rows.map((r) => r.event_ref))]) });
    this.sql['delete-attempts-of'].run({ ids });
    return this.sql['delete-deliveries'].run({ ids }).changes;
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
      // What listOrders samples by (the order's purchase event_id), computed once here rather than per read.
      sample_key: sampleKey(orderEventId(order.order_id)),
    });
  }

  private recordOrder(op: Extract<WriteOp, { kind: 'record-order' }>): { duplicate_webhook: boolean } {
    if (op.webhook_id !== undefined && this.sql['insert-webhook'].run({ webhook_id: op.webhook_id, received_at: op.now }).changes === 0) {
      return { duplicate_webhook: true };
    }
    this.insertOrder(op.order, op.now);
    return { duplicate_webhook: false };
  }

  private complete(now: number, updates: DeliveryUpdate[]): void {
    const sql = this.sql;
    const counters = this.counts;
    for (const u of updates) {
      const final = FINAL.has(u.status);
      const attempt = u.attempt;
      const folded = u.status === 'delivered' && attempt?.outcome === 'delivered' ? attempt : undefined;
      // A first try still queued leaves the queue with its outcome; once it has a row (a retry, or taken over while
      // in flight), the row is completed as any other.
      const queued = queuedDeliveryOf(u.delivery_id);
      if (queued && this.completeQueued(now, u, queued.eventRef, queued.destinationNo, final, folded)) continue;
      const changed = sql['complete'].get(
        u.status,
        attempt ? 1 : 0,
        u.status === 'pending' ? u.next_attempt_at : null,
        attempt?.at ?? null,
        attempt?.at ?? null,
        final ? now : null,
        u.status === 'delivered' ? null : u.error_code,
        u.status === 'delivered' ? null : u.error_message,
        final ? 1 : 0,
        folded ? Math.round(folded.latency_ms) : null,
        folded?.http_status ?? null,
        folded?.platform_code ?? null,
        folded?.message ?? null,
        u.delivery_id,
      ) as { destination_id: string; platform: string; attempts: number } | undefined;
      if (changed) {
        // The row was pending with attempts − counted before; it leaves that bucket for its new status or bucket.
        const wasRetrying = changed.attempts - (attempt ? 1 : 0) > 0;
        const retrying = changed.attempts > 0;
        if (final) {
          counters.total(changed.destination_id, changed.platform, u.status, 1);
          counters.backlog(changed.destination_id, changed.platform, wasRetrying, -1);
        } else if (retrying !== wasRetrying) {
          counters.backlog(changed.destination_id, changed.platform, wasRetrying, -1);
          counters.backlog(changed.destination_id, changed.platform, retrying, 1);
        }
      }
      if (folded && changed) counters.activity(folded.at, changed.destination_id, changed.platform, 1);
      // Every attempt is recorded, folded onto its row or here; one whose row was not updated (its lease was lost
      // to a take-over) has no row to fold onto.
      else if (attempt) this.insertAttempt(u.delivery_id, attempt);
    }
  }

  private insertAttempt(deliveryId: number, attempt: AttemptRecord): void {
    this.sql['insert-attempt'].run({
      delivery_id: deliveryId,
      at: attempt.at,
      latency_ms: Math.round(attempt.latency_ms),
      http_status: attempt.http_status ?? null,
      outcome: attempt.outcome,
      platform_code: attempt.platform_code ?? null,
      message: attempt.message ?? null,
    });
  }

  /**
   * A first try's outcome: its queue entry leaves (take-queued.sql) and the delivery gets the row complete.sql would
   * have left, under the same id, attempt folded or recorded alike. False when no claim holds the entry: it has a
   * row by now (retried, or taken over by its server copy while in flight), which complete.sql handles.
   */
  private completeQueued(now: number, u: DeliveryUpdate, eventRef: number, destinationNo: number, final: boolean, folded: AttemptRecord | undefined): boolean {
    const sql = this.sql;
    const dest = this.destinations.get(destinationNo);
    const entry = dest && (sql['take-queued'].get(destinationNo, eventRef) as { created_at: number; sealed_contact: Uint8Array | null } | undefined);
    if (!dest || !entry) return false;
    const attempt = u.attempt;
    const failed = u.status === 'delivered' ? undefined : u;
    sql['insert-dequeued'].run(
      u.delivery_id,
      eventRef,
      dest.destination_id,
      dest.platform,
      u.status,
      attempt ? 1 : 0,
      entry.created_at,
      u.status === 'pending' ? u.next_attempt_at : null,
      attempt?.at ?? null,
      attempt?.at ?? null,
      final ? now : null,
      failed?.error_code ?? null,
      failed?.error_message ?? null,
      final ? null : entry.sealed_contact,
      folded ? Math.round(folded.latency_ms) : null,
      folded?.http_status ?? null,
      folded?.platform_code ?? null,
      folded?.message ?? null,
    );
    const counters = this.counts;
    counters.backlog(dest.destination_id, dest.platform, false, -1);
    if (final) counters.total(dest.destination_id, dest.platform, u.status, 1);
    else counters.backlog(dest.destination_id, dest.platform, attempt !== undefined, 1);
    if (folded) counters.activity(folded.at, dest.destination_id, dest.platform, 1);
    else if (attempt) this.insertAttempt(u.delivery_id, attempt);
    return true;
  }

  private replay(now: number, filter: ReplayFilter): number {
    const rows = this.sql['replay'].all({
      now,
      status: filter.status,
      destination_id: filter.destination_id ?? null,
      since: filter.since ?? null,
      ids: filter.delivery_ids ? JSON.stringify(filter.delivery_ids) : null,
    }) as { destination_id: string; platform: string }[];
    for (const r of rows) {
      this.counts.total(r.destination_id, r.platform, filter.status, -1);
      this.counts.backlog(r.destination_id, r.platform, false, 1);
    }
    return rows.length;
  }

  flushDeferred(): void {
    if (this.counts.empty) return;
    const counts = this.counts;
    this.counts = new Counters();
    counts.write(this.sql);
  }

  discardDeferred(): void {
    this.counts = new Counters();
    // A destination number assigned in the rolled-back transaction is gone with it.
    this.loadDestinationNumbers();
    // A prune rolled back with its transaction is run again by the next save.
    this.lastContextPrune = 0;
  }

  private saveBrowserContext(op: Extract<WriteOp, { kind: 'save-browser-context' }>): void {
    for (const key of new Set(op.keys)) this.sql['save-browser-context'].run({ join_key: key, context: op.context, updated_at: op.now });
    if (op.now - this.lastContextPrune >= BROWSER_CONTEXT_PRUNE_EVERY_MS) {
      this.lastContextPrune = op.now;
      this.sql['prune-browser-contexts'].run({ before: op.now - BROWSER_CONTEXT_RETENTION_MS });
    }
  }
}

/**
 * Changes to the running counts gathered over a group commit's operations — delivery_totals (final rows per destination and
 * status), delivery_backlog (pending rows per destination, first try or retry) and delivery_activity (folded
 * successful attempts per minute and destination) — written as one upsert per key that changed, however many
 * rows the operations touched.
 */
class Counters {
  private readonly totals = new Map<string, { destination_id: string; platform: string; status: string; n: number }>();
  private readonly delivered = new Map<string, { minute: number; destination_id: string; platform: string; n: number }>();
  private readonly pending = new Map<string, { destination_id: string; platform: string; retrying: number; n: number }>();
  get empty(): boolean {
    return this.totals.size === 0 && this.delivered.size === 0 && this.pending.size === 0;
  }
  total(destination_id: string, platform: string, status: string, n: number): void {
    const key = `${destination_id}\u0000${status}`;
    const d = this.totals.get(key);
    if (d) d.n += n;
    else this.totals.set(key, { destination_id, platform, status, n });
  }
  backlog(destination_id: string, platform: string, retrying: boolean, n: number): void {
    const key = `${destination_id}\u0000${retrying ? 1 : 0}`;
    const d = this.pending.get(key);
    if (d) d.n += n;
    else this.pending.set(key, { destination_id, platform, retrying: retrying ? 1 : 0, n });
  }
  activity(at: number, destination_id: string, platform: string, n: number): void {
    const minute = Math.floor(at / 60_000);
    const key = `${minute}\u0000${destination_id}`;
    const d = this.delivered.get(key);
    if (d) d.n += n;
    else this.delivered.set(key, { minute, destination_id, platform, n });
  }
  write(sql: Record<StatementName, Database.Statement>): void {
    for (const d of this.delivered.values()) if (d.n !== 0) sql['add-activity'].run(d);
    for (const d of this.totals.values()) if (d.n !== 0) sql['add-total'].run(d);
    for (const d of this.pending.values()) if (d.n !== 0) sql['add-backlog'].run(d);
  }
}
