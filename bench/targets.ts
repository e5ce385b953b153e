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
