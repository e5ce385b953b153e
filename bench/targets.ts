// The promises of docs/BENCHMARKS.md "Targets", checked by `npm run bench` (exit 1 when one breaks, unless --no-fail).

export interface Target {
  id: string;
  what: string;
  min?: number;
  max?: number;
  unit: string;
}

export const TARGETS: Target[] = [
  { id: 'transform.meta', what: 'raw event → Meta request body, one core', min: 60_000, unit: 'events/s' },
  { id: 'ingest.single', what: 'ingest, single-event POSTs, durable acks', min: 10_000, unit: 'events/s' },
  { id: 'ingest.batched', what: 'ingest, batches of 100, durable acks', min: 50_000, unit: 'events/s' },
  { id: 'ingest.p99at5000', what: 'ingest p99 latency at 5,000 events/s offered', max: 25, unit: 'ms' },
  { id: 'drain', what: 'drain to the simulators (deliveries, Meta + TikTok + Pinterest)', min: 20_000, unit: 'events/s' },
  // Footprint (bench/footprint.ts): the gateway's own cost, five destinations, SQLite synchronous=FULL.
  { id: 'footprint.cpuBatched', what: 'gateway CPU per acknowledged event, batches of 100 (user+sys, all threads)', max: 40, unit: 'µs/event' },
  { id: 'footprint.cpuSingle', what: 'gateway CPU per acknowledged event, single-event POSTs', max: 80, unit: 'µs/event' },
  { id: 'footprint.rssIngest', what: 'gateway RSS while ingesting (peak)', max: 200, unit: 'MiB' },
  { id: 'footprint.rssPending', what: 'gateway RSS with the backlog pending (peak)', max: 200, unit: 'MiB' },
  { id: 'footprint.rssDrain', what: 'gateway RSS while draining (peak)', max: 200, unit: 'MiB' },
  { id: 'footprint.rssSnapshot', what: 'gateway RSS while a diagnostics snapshot runs (peak)', max: 200, unit: 'MiB' },
  { id: 'footprint.diskPerEvent', what: 'bytes on disk per event at rest, five destinations', max: 1000, unit: 'B/event' },
  { id: 'footprint.metrics', what: 'a /metrics reading with the backlog pending (gateway CPU)', max: 10, unit: 'ms' },
];

export interface Verdict {
  target: Target;
  value: number | undefined;
  ok: boolean;
}

export function judge(values: Record<string, number | undefined>): Verdict[] {
  return TARGETS.map((target) => {
    const value = values[target.id];
    const ok = value !== undefined && Number.isFinite(value) && (target.min === undefined || value >= target.min) && (target.max === undefined || value <= target.max);
    return { target, value, ok };
  });
}
