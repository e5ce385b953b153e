import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryCounts, EventSource, OutboxStore } from '../outbox/types.js';

// Prometheus metrics (issue 3 item 9). One registry per gateway so that tests can run several in one process.
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
const COUNTS_CACHE_MS = 250;

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'matchkey_' });

  let store: OutboxStore | undefined;
  let cached: { at: number; counts: Promise<DeliveryCounts[]> } | undefined;
  const counts = (): Promise<DeliveryCounts[]> => {
    if (!store) return Promise.resolve([]);
    const now = Date.now();
    if (!cached || now - cached.at > COUNTS_CACHE_MS) cached = { at: now, counts: store.counts(now) };
    return cached.counts;
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
