import type { PlatformName } from '../event/names.js';
import type { HashedEvent, HashedUser } from '../identity/types.js';

// The narrow interface between the gateway and its durable store. SQLite (embedded default) and PostgreSQL
// (several instances) implement it; one contract test suite runs against both. Times are unix milliseconds.

export type EventSource = 'api' | 'shopify' | 'browser';

/**
 * pending: waiting for its first or next attempt (attempts > 0 = retrying) · delivered: the platform accepted it ·
 * rejected: the platform refused it for good · dead: retries exhausted or too old to send · skipped: never to be
 * sent (consent denied, test order, platform rule), with the reason.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'rejected' | 'dead' | 'skipped';

/**
 * Skip reasons meaning "another leg sends the server copy of this event_id" (src/delivery/plan.ts). A browser
 * event's row — skipped for one of these or any other reason, pending or even sent — is taken over by the
 * api/shopify event with the same event_id when it arrives: the server copy always wins, one row per
 * (destination_id, event_id).
 */
export const DEFERRED_SKIP_REASONS = ['browser_events_off', 'order_webhook_sends_purchase'] as const;

export interface NewDelivery {
  destination_id: string;
  platform: PlatformName;
  /** 'skipped' with `skip_reason`, else 'pending'. */
  status: 'pending' | 'skipped';
  skip_reason?: string;
  /** Klaviyo: the event's PlainContact is sealed onto this row (AES-256-GCM) and deleted once the row is final. */
  needs_contact?: boolean;
}

export interface IngestItem {
  event: HashedEvent;
  source: EventSource;
  /** A Shopify test order (`test: true`): stored, sent only to destinations in test mode. */
  test: boolean;
  deliveries: NewDelivery[];
}

export interface IngestResult {
  /** Per item, in order: whether the event row was new and how many delivery rows it created. */
  items: { stored: boolean; deliveries_created: number }[];
}

export interface ClaimedDelivery {
  delivery_id: number;
  destination_id: string;
  platform: PlatformName;
  /** Attempts made before this claim. */
  attempts: number;
  created_at: number;
  /** When the first attempt was made (absent before it): the worker's "dead after max_hours" clock. */
  first_attempt_at?: number;
  /** The stored event, with `contact` unsealed when this row carries one. */
  event: HashedEvent;
}

export interface AttemptRecord {
  /** When the request was sent. */
  at: number;
  latency_ms: number;
  http_status?: number;
  /** 'delivered' | 'retryable' | 'permanent' | 'auth' | 'network' | 'too_old' … */
  outcome: string;
  /** The platform's own code (Meta `code/subcode`, TikTok `code`, …), when it gave one. */
  platform_code?: string;
  /** The platform's message, never containing PII (platforms answer with hashes at most). */
  message?: string;
}

export type DeliveryUpdate =
  | { delivery_id: number; status: 'delivered'; attempt: AttemptRecord }
  | { delivery_id: number; status: 'pending'; next_attempt_at: number; attempt: AttemptRecord; error_code: string; error_message: string }
  | { delivery_id: number; status: 'rejected' | 'dead'; attempt?: AttemptRecord; error_code: string; error_message: string };

export interface ReplayFilter {
  status: 'dead' | 'rejected';
  destination_id?: string;
  /** Only rows that ended at or after this time. */
  since?: number;
  /** Only these rows (dashboard "replay selected"). */
  delivery_ids?: number[];
}

export interface DeliveryCounts {
  destination_id: string;
  platform: PlatformName;
  pending: number;
  retrying: number;
  delivered: number;
  rejected: number;
  dead: number;
  skipped: number;
  /** Age in ms of the oldest pending row, 0 when none. */
  oldest_pending_ms: number;
}

/** A stored Shopify order webhook, reduced to what reconciliation needs (no PII). */
export interface OrderRecord {
  order_id: string;
  topic: 'orders/paid' | 'refunds/create' | 'orders/cancelled';
  /** Shopify's `name` (#1001). */
  name?: string;
  /** processed_at / refund processed_at / cancelled_at, unix ms. */
  occurred_at: number;
  total?: number;
  currency?: string;
  test?: boolean;
  financial_status?: string;
  /** refunds/create: the amount refunded by this refund. */
  refunded_amount?: number;
}

/**
 * The state of one purchase event's delivery to one destination, as reconciliation reads it (no PII): the
 * delivery side of `matchkey reconcile` (docs/RECONCILE.md).
 */
/** How many of one destination's purchase deliveries ended with one status and error code (uploadOutcomeCounts). */
export interface UploadOutcomeCount {
  status: 'delivered' | 'rejected';
  error_code: string | null;
  n: number;
}

export interface DeliveryOutcome {
  destination_id: string;
  platform: PlatformName;
  event_id: string;
  /** The event's `event_time`, unix ms. */
  event_time: number;
  status: DeliveryStatus;
  attempts: number;
  /** Why it is rejected/dead, or the last retryable failure of a pending row. */
  error_code?: string;
  error_message?: string;
  /** Why it was never to be sent (`consent`, `test`, …). */
  skip_reason?: string;
  /** Stored as a Shopify test order. */
  test?: boolean;
}

/** A stored event as diagnostics and the dashboard read it back. */
export interface StoredEvent {
  event: HashedEvent;
  source: EventSource;
  test: boolean;
  /** Unix ms when the gateway acknowledged it. */
  received_at: number;
}

/** Where a scan of stored events stopped: the last row read, in (received_at, row id) order. */
export interface EventCursor {
  received_at: number;
  id: number;
}

export interface EventScanQuery {
  /** Events received in [from, to) (unix ms). */
  from: number;
  to: number;
  /** Resume after this row (the `next` of the previous page); absent = from the start of the range. */
  after?: EventCursor;
  /** Events returned per page at most. */
  limit: number;
  /**
   * A sample by event_id: only events whose sampleKey(event_id) (src/outbox/event-scan.ts) is below this bound are
   * returned — filtered in the database, so the others cost neither transfer nor parsing. Absent = all. Both legs
   * of an event share its event_id, so they are kept or dropped together.
   */
  sampleBelow?: number;
}

export interface EventScanPage {
  /** The page's events (in the sample, if one was asked for), oldest first. */
  events: StoredEvent[];
  /** Where the next page starts; null when the range is exhausted. */
  next: EventCursor | null;
}

// ---- Dashboard reads (docs/DASHBOARD.md). Optional on the store: the admin API answers 501 for a store without them. ----

/** Activity per time bucket over [from, to): bucket i covers [from + i·bucket_ms, from + (i+1)·bucket_ms). */
export interface ActivityQuery {
  from: number;
  to: number;
  bucket_ms: number;
}

/**
 * delivered: a successful attempt · retrying: a failed attempt that will be retried (the attempt that killed a
 * row counts as `dead` instead) · rejected / dead: rows that ended so, by the time they ended.
 */
export type ActivityOutcome = 'delivered' | 'retrying' | 'rejected' | 'dead';

export interface Activity {
  /** Events acknowledged per bucket (by received_at); buckets without events are absent. */
  events_in: { bucket: number; n: number }[];
  deliveries: { bucket: number; destination_id: string; platform: PlatformName; outcome: ActivityOutcome; n: number }[];
}

/** One delivery row of an inspected event, with every attempt it made (no PII: platforms answer with hashes at most). */
export interface InspectedDelivery {
  delivery_id: number;
  destination_id: string;
  platform: PlatformName;
  status: DeliveryStatus;
  attempts: number;
  created_at: number;
  next_attempt_at?: number;
  finished_at?: number;
  skip_reason?: string;
  error_code?: string;
  error_message?: string;
  /** Oldest first; a replayed row keeps the attempts of its earlier life. */
  attempt_log: AttemptRecord[];
}

export interface InspectedEvent extends StoredEvent {
  deliveries: InspectedDelivery[];
}

export interface DeadLetterQuery {
  /** Both when absent. */
  status?: 'dead' | 'rejected';
  destination_id?: string;
  platform?: PlatformName;
  /** The row's last error code (`too_old`, `invalid_parameter`, …). */
  error_code?: string;
  /** finished_at in [from, to), unix ms. */
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

export interface DeadLetter {
  delivery_id: number;
  event_id: string;
  event_name: string;
  destination_id: string;
  platform: PlatformName;
  status: 'dead' | 'rejected';
  attempts: number;
  error_code?: string;
  error_message?: string;
  finished_at: number;
}

export interface DeadLetterPage {
  /** Rows matching the filter (all pages). */
  total: number;
  /** Newest first. */
  rows: DeadLetter[];
  /** Error codes among the rows matching every filter but the reason, most frequent first (the reason picker). */
  reasons: { error_code: string; n: number }[];
}

/**
 * What only the browser knows about a shopper — cookies, click ids, user agent, IP, the consent it was given —
 * kept so that a later order webhook lacking it can be enriched (docs/BROWSER.md). Never raw email,
 * phone, name or street: built from the plain (unhashed-by-design) fields of a hashed browser event.
 */
export type BrowserContext = Partial<Pick<HashedUser, BrowserContextField>> & {
  /** The consent the browser event carried; a denial there is carried onto the order. */
  consent?: { marketing: boolean; limited_data_use: boolean };
};

/** The hashed user's plain fields a browser context keeps: cookies, click ids, user agent, IP. */
export const BROWSER_CONTEXT_FIELDS = [
  'fbp', 'fbc', 'ttp', 'ttclid', 'epik', 'gclid', 'gbraid', 'wbraid', 'ga_client_id', 'ga_session_id',
  'sccid', 'scid', 'msclkid', 'rdt_cid', 'rdt_uuid', 'client_user_agent', 'client_ip_address',
] as const satisfies readonly (keyof HashedUser)[];
export type BrowserContextField = (typeof BROWSER_CONTEXT_FIELDS)[number];

/** A stored browser context under one join key (`event:<event_id>`, `checkout:<token>`, `fbp:<cookie>`, …). */
export interface StoredBrowserContext {
  join_key: string;
  context: BrowserContext;
  /** Unix ms of the latest browser event merged into it. */
  updated_at: number;
}

export interface OutboxStore {
  /** Creates or upgrades the schema; safe to call on every start. */
  migrate(): Promise<void>;
  /**
   * Stores events and their delivery rows in one transaction and resolves only once it is durable.
   * A delivery for a (destination_id, event_id) that already has one is absorbed (not created twice), unless a
   * browser event holds that row and this is a server event (api/shopify): it takes the row over, whatever its state.
   * With `webhook_id`, the whole call is idempotent on it: a second call with the same id stores nothing.
   */
  ingest(items: IngestItem[], opts?: { webhook_id?: string; order?: OrderRecord }): Promise<IngestResult & { duplicate_webhook: boolean }>;
  /** Records an order webhook that produces no event (refunds, cancellations), idempotent on `webhook_id`. */
  recordOrder(order: OrderRecord, opts?: { webhook_id?: string }): Promise<{ duplicate_webhook: boolean }>;
  /** Leases up to `limit` due pending rows of one destination (next_attempt_at <= now, no live lease). */
  claim(destinationId: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /** Extends the lease of rows still being sent. */
  renewLeases(deliveryIds: number[], until: number): Promise<void>;
  /** Applies attempt outcomes; final rows lose their sealed contact. Releases the lease. */
  complete(updates: DeliveryUpdate[]): Promise<void>;
  /**
   * Called once by the gateway that will deliver from this store, before its worker starts: leases left by a
   * process that no longer runs are returned at once (the embedded store knows its single owner); a store shared
   * by several live instances (PostgreSQL) leaves them to expire. Returns how many rows were released.
   */
  takeOwnership?(): Promise<number>;
  /** Returns leased rows to pending without counting an attempt (shutdown). */
  release(deliveryIds: number[]): Promise<void>;
  /** Re-queues dead/rejected rows (same event_id) as pending now; returns how many. */
  replay(filter: ReplayFilter): Promise<number>;
  counts(now: number): Promise<DeliveryCounts[]>;
  /** The earliest next_attempt_at among pending rows of a destination (for the worker's sleep), or null. */
  nextDueAt(destinationId: string): Promise<number | null>;
  /**
   * The order records of [from, to) (by occurred_at), oldest first. With `sampleBelow`, only those of the orders whose
   * purchase event_id (`order_<order_id>`) has a sampleKey (src/outbox/event-scan.ts) below it — filtered in the
   * database, so an order is kept or dropped with all its records, and with its purchase event.
   */
  listOrders(range?: { from?: number; to?: number; sampleBelow?: number }): Promise<OrderRecord[]>;
  /**
   * How many orders were paid in [from, to) (unix ms): their orders/paid records, test orders apart, counted without
   * reading them. A redelivered webhook is the same record (the store keeps one per order fact).
   */
  countPaidOrders(range: { from: number; to: number }): Promise<number>;
  /** Stored events received in [from, to) (unix ms), oldest first, at most `limit` (default 100,000). */
  listEvents(range?: { from?: number; to?: number; limit?: number }): Promise<StoredEvent[]>;
  /**
   * One page of the events received in [from, to), by keyset on (received_at, row id): memory is one page
   * whatever the range holds, and rows ingested meanwhile before the cursor do not shift the pages after it.
   */
  scanEvents(query: EventScanQuery): Promise<EventScanPage>;
  /** How many events were received in [from, to) (unix ms), each leg counted: what a scan of it will read. */
  countEvents(range: { from: number; to: number }): Promise<number>;
  /** Whether any event from `source` was received in [from, to) (unix ms); stops at the first one. */
  hasEventFrom(query: { source: string; from: number; to: number }): Promise<boolean>;
  /**
   * One destination's non-test purchase deliveries received in [from, to) (unix ms) that ended delivered or rejected,
   * counted per status and error code: Google's upload diagnostics on the Data Manager path.
   */
  uploadOutcomeCounts(query: { destination_id: string; from: number; to: number }): Promise<UploadOutcomeCount[]>;
  /**
   * Delivery rows of `purchase` events whose event_time is in [from, to) (unix ms), one per (destination, event).
   * Optional so that stores predating reconciliation still type-check; reconcile reports the delivery side as
   * unavailable when a store lacks it.
   */
  deliveryOutcomes?(range: { from: number; to: number }): Promise<DeliveryOutcome[]>;
  /**
   * The same outcomes, in the same order, handed to `visit` one at a time and never all held: reconciliation of a long
   * window folds them as they come (600,000 for a month of 200,000 orders with three destinations). `pageEvents`:
   * events per statement where the store reads in pages (PostgreSQL; default 5,000).
   */
  forEachDeliveryOutcome?(range: { from: number; to: number }, visit: (outcome: DeliveryOutcome) => void, opts?: { pageEvents?: number }): Promise<void>;
  /**
   * The delivery rows of the `purchase` events with these event_ids, one per (destination, event_id), whichever leg
   * (browser, api, shopify) holds it — each id looked up on the events index, whatever the store holds beside
   * them. Any number of ids (read a chunk at a time); an id with no row returns nothing.
   */
  purchaseDeliveryOutcomes(eventIds: readonly string[]): Promise<DeliveryOutcome[]>;
  /** Dashboard overview: events in and delivery outcomes per time bucket. */
  activity?(query: ActivityQuery): Promise<Activity>;
  /**
   * Dashboard event inspector: events whose event_id is `query`, or `order_<query>` (the purchase id rule), or
   * whose stored Shopify order name is `query` (`#1001`), or, among the most recent events, whose
   * `commerce.order_id` is `query`. At most 20, newest first, each with its deliveries and their attempts.
   */
  inspectEvents?(query: string): Promise<InspectedEvent[]>;
  /** Dashboard dead letters: dead and rejected rows with filters and paging. */
  deadLetters?(query: DeadLetterQuery): Promise<DeadLetterPage>;
  /**
   * Browser leg (docs/BROWSER.md): stores `context` under each join key, merged into what the key already holds (newer
   * values win). Optional so that a store without the browser leg still type-checks; the gateway then skips
   * enrichment. Stores drop contexts not updated for BROWSER_CONTEXT_RETENTION_MS.
   */
  saveBrowserContext?(joinKeys: string[], context: BrowserContext): Promise<void>;
  /** The contexts stored under any of these keys, updated at or after `since` (unix ms), in no particular order. */
  findBrowserContexts?(joinKeys: string[], since: number): Promise<StoredBrowserContext[]>;
  close(): Promise<void>;
}

/** How long a browser context waits for its order webhook before the store may drop it. */
export const BROWSER_CONTEXT_RETENTION_MS = 30 * 86_400_000;
