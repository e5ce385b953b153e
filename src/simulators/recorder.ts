import { PLATFORM_NAMES } from '../event/names.js';
import type { SimPlatformName } from './types.js';

// What the simulators saw, for tests and benchmarks: a bounded ring of requests, running totals per platform, and
// per platform the arrival time of every request and every 429 (to check a client honoured Retry-After).

export type RecordMode = 'full' | 'summary';

export interface RecordedRequest {
  seq: number;
  platform: SimPlatformName | null;
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** full mode only (the object the HTTP layer parsed; in-memory only, never logged). */
  headers?: Record<string, unknown>;
  /** full mode only, and only while the full-body budget holds it (see `body_dropped`). */
  body?: unknown;
  body_dropped?: true;
  event_count: number;
  events_accepted: number;
  events_rejected: number;
  received_at: number;
  status: number;
  /** The behaviour switch that shaped the answer, if any. */
  behaviour?: string;
  /** Arrived before the Retry-After deadline of an earlier 429 on this platform. */
  before_retry_after?: true;
}

export interface PlatformTotals {
  requests: number;
  events_received: number;
  events_accepted: number;
  events_rejected: number;
  rate_limited: number;
  server_errors: number;
  /** Requests that arrived before the Retry-After deadline of an earlier 429 on the same platform. */
  early_requests: number;
  by_status: Record<string, number>;
}

export interface RateLimitMark {
  at_ms: number;
  retry_after_s: number;
  not_before_ms: number;
}

export interface PlatformTimeline {
  request_times_ms: number[];
  rate_limits: RateLimitMark[];
}

export interface RecorderOptions {
  mode?: RecordMode;
  /** Requests kept in the ring (default 20,000). */
  capacity?: number;
  /** full mode: bodies are kept for about this many most recent events in total (default 50,000); older ones are dropped. */
  bodyEventBudget?: number;
  /** Entries kept per platform in each timeline list (default 100,000). */
  timelineCapacity?: number;
}

function emptyTotals(): PlatformTotals {
  return { requests: 0, events_received: 0, events_accepted: 0, events_rejected: 0, rate_limited: 0, server_errors: 0, early_requests: 0, by_status: {} };
}

/** Appends to a bounded list, dropping the oldest half when full (amortised O(1), no per-push shift). */
function pushBounded<T>(list: T[], item: T, cap: number): void {
  if (list.length >= cap) list.splice(0, Math.max(1, Math.floor(cap / 2)));
  list.push(item);
}

export class Recorder {
  mode: RecordMode;
  private readonly capacity: number;
  private readonly bodyEventBudget: number;
  private readonly timelineCapacity: number;
  private ring: Array<RecordedRequest | undefined>;
  private next = 0;
  private seq = 0;
  private dropped = 0;
  private withBodies: RecordedRequest[] = [];
  private withBodiesHead = 0;
  private bodyEvents = 0;
  private totals = new Map<SimPlatformName, PlatformTotals>();
  private timelines = new Map<SimPlatformName, PlatformTimeline>();
  private notBefore = new Map<SimPlatformName, number>();

  constructor(opts: RecorderOptions = {}) {
    this.mode = opts.mode ?? 'full';
    this.capacity = opts.capacity ?? 20_000;
    this.bodyEventBudget = opts.bodyEventBudget ?? 50_000;
    this.timelineCapacity = opts.timelineCapacity ?? 100_000;
    this.ring = new Array(this.capacity);
    this.resetPlatforms();
  }

  private resetPlatforms(): void {
    for (const p of PLATFORM_NAMES) {
      this.totals.set(p, emptyTotals());
      this.timelines.set(p, { request_times_ms: [], rate_limits: [] });
    }
    this.notBefore.clear();
  }

  /**
   * Notes an upload request's arrival (before it is answered) and says whether it came before the Retry-After
   * deadline of an earlier 429 on this platform.
   */
  arrive(platform: SimPlatformName, atMs: number): boolean {
    pushBounded(this.timelines.get(platform)!.request_times_ms, atMs, this.timelineCapacity);
    const early = atMs < (this.notBefore.get(platform) ?? 0);
    if (early) this.totals.get(platform)!.early_requests++;
    return early;
  }

  noteRateLimit(platform: SimPlatformName, atMs: number, retryAfterS: number): void {
    const notBefore = atMs + Math.round(retryAfterS * 1000);
    pushBounded(this.timelines.get(platform)!.rate_limits, { at_ms: atMs, retry_after_s: retryAfterS, not_before_ms: notBefore }, this.timelineCapacity);
    if (notBefore > (this.notBefore.get(platform) ?? 0)) this.notBefore.set(platform, notBefore);
  }

  add(rec: Omit<RecordedRequest, 'seq'>): RecordedRequest {
    const r = rec as RecordedRequest;
    r.seq = ++this.seq;
    if (this.mode === 'summary') {
      delete r.headers;
      delete r.body;
    } else if (r.body !== undefined) {
      this.keepBody(r);
    }
    if (this.ring[this.next] !== undefined) this.dropped++;
    this.ring[this.next] = r;
    this.next = (this.next + 1) % this.capacity;

    if (r.platform) {
      const t = this.totals.get(r.platform)!;
      t.requests++;
      t.events_received += r.event_count;
      t.events_accepted += r.events_accepted;
      t.events_rejected += r.events_rejected;
      if (r.status === 429) t.rate_limited++;
      if (r.status >= 500) t.server_errors++;
      t.by_status[r.status] = (t.by_status[r.status] ?? 0) + 1;
    }
    return r;
  }

  private keepBody(r: RecordedRequest): void {
    this.withBodies.push(r);
    this.bodyEvents += Math.max(1, r.event_count);
    while (this.bodyEvents > this.bodyEventBudget && this.withBodies.length - this.withBodiesHead > 1) {
      const old = this.withBodies[this.withBodiesHead]!;
      this.withBodies[this.withBodiesHead++] = undefined as unknown as RecordedRequest;
      this.bodyEvents -= Math.max(1, old.event_count);
      delete old.body;
      old.body_dropped = true;
    }
    if (this.withBodiesHead > 4096) {
      this.withBodies = this.withBodies.slice(this.withBodiesHead);
      this.withBodiesHead = 0;
    }
  }

  /** Recorded requests in arrival order, optionally for one platform, after a sequence number, the last `limit`. */
  list(filter: { platform?: SimPlatformName; sinceSeq?: number; limit?: number } = {}): RecordedRequest[] {
    const out: RecordedRequest[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const r = this.ring[(this.next + i) % this.capacity];
      if (!r) continue;
      if (filter.platform && r.platform !== filter.platform) continue;
      if (filter.sinceSeq !== undefined && r.seq <= filter.sinceSeq) continue;
      out.push(r);
    }
    return filter.limit !== undefined && out.length > filter.limit ? out.slice(out.length - filter.limit) : out;
  }

  /** How many requests fell out of the ring since the last clear. */
  get droppedCount(): number {
    return this.dropped;
  }

  get lastSeq(): number {
    return this.seq;
  }

  totalsFor(platform: SimPlatformName): PlatformTotals {
    return this.totals.get(platform)!;
  }

  allTotals(): Record<SimPlatformName, PlatformTotals> {
    return Object.fromEntries(this.totals) as Record<SimPlatformName, PlatformTotals>;
  }

  timeline(platform: SimPlatformName): PlatformTimeline {
    return this.timelines.get(platform)!;
  }

  clear(): void {
    this.ring = new Array(this.capacity);
    this.next = 0;
    this.dropped = 0;
    this.withBodies = [];
    this.withBodiesHead = 0;
    this.bodyEvents = 0;
    this.resetPlatforms();
  }
}
