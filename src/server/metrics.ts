import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryCounts, EventSource, OutboxStore } from '../outbox/types.js';

// Prometheus metrics (`/metrics`). One registry per gateway so that tests can run several in one process.
// Delivery counts are read from the store at scrape time (the store is the truth, shared by every instance in
// the PostgreSQL set-up); attempt latency comes from the worker's observer.

export interface AttemptObservation {
  destination_id: string;
  platform: string;
  outcome: string;
  http_status?: number;
  latency_ms: number;
  /** Events in the request. */
  events: number;
}

export interface GatewayMetrics {
  registry: Registry;
  eventsIn(source: EventSource, n: number): void;
  /** Handed to the delivery worker. */
  observer: { onAttempt(attempt: AttemptObservation): void };
  /** Delivery gauges read this store at scrape time. */
  bindStore(store: OutboxStore): void;
}

const STATUSES = ['pending', 'retrying', 'delivered', 'rejected', 'dead', 'skipped'] as const;
// Store counts are read once per scrape even though three gauges use them.
const MIN_COUNTS_REUSE_MS = 250;

/**
 * How long one reading of the store's counts is reused: one scrape at least, and ten times what the reading cost.
 * Counting walks every pending row (on the main thread with SQLite): with a backlog of millions a reading takes
 * hundreds of ms, and a scraper polling every second kept the gateway at 100% CPU. Reused this way, counting never
 * takes more than ~10% of the time, however often /metrics is scraped; the gauges then lag by that much.
 */
export function countsReuseMs(readingMs: number): number {
  return Math.max(MIN_COUNTS_REUSE_MS, Math.ceil(readingMs * 10));
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'matchkey_' });

  let store: OutboxStore | undefined;
  let cached: { at: number; reuseMs: number; counts: Promise<DeliveryCounts[]> } | undefined;
  const counts = (): Promise<DeliveryCounts[]> => {
    if (!store) return Promise.resolve([]);
    const now = Date.now();
    if (cached && now - cached.at <= cached.reuseMs) return cached.counts;
    const started = performance.now();
    const reading = { at: now, reuseMs: Number.POSITIVE_INFINITY, counts: store.counts(now) };
    // Reused while in flight; once read, for as long as countsReuseMs says (a failed reading is not kept).
    reading.counts.then(
      () => (reading.reuseMs = countsReuseMs(performance.now() - started)),
      () => (reading.reuseMs = 0),
    );
    cached = reading;
    return reading.counts;
  };

  const eventsIn = new Counter({
    name: 'matchkey_events_in_total',
    help: 'Events acknowledged (durably stored), by source',
    labelNames: ['source'],
    registers: [registry],
  });
  const attemptLatency = new Histogram({
    name: 'matchkey_delivery_attempt_duration_seconds',
    help: 'Duration of delivery requests to the platforms, by platform and outcome',
    labelNames: ['platform', 'outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const attemptEvents = new Counter({
    name: 'matchkey_delivery_attempt_events_total',
    help: 'Events carried by delivery attempts, by platform and outcome',
    labelNames: ['platform', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'matchkey_deliveries',
    help: 'Delivery rows by destination, platform and status',
    labelNames: ['destination', 'platform', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await counts()) {
        for (const status of STATUSES) this.set({ destination: row.destination_id, platform: row.platform, status }, row[status]);
      }
    },
  });
  new Gauge({
    name: 'matchkey_queue_depth',
    help: 'Deliveries waiting to be sent (first attempt or retry), by destination',
    labelNames: ['destination', 'platform'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await counts()) this.set({ destination: row.destination_id, platform: row.platform }, row.pending + row.retrying);
    },
  });
  new Gauge({
    name: 'matchkey_oldest_pending_age_seconds',
    help: 'Age of the oldest delivery still waiting, by destination (0 when none)',
    labelNames: ['destination', 'platform'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await counts()) this.set({ destination: row.destination_id, platform: row.platform }, row.oldest_pending_ms / 1000);
    },
  });

  return {
    registry,
    eventsIn: (source, n) => eventsIn.inc({ source }, n),
    observer: {
      onAttempt(a) {
        attemptLatency.observe({ platform: a.platform, outcome: a.outcome }, a.latency_ms / 1000);
        attemptEvents.inc({ platform: a.platform, outcome: a.outcome }, a.events);
      },
    },
    bindStore(s) {
      store = s;
      cached = undefined;
    },
  };
}
