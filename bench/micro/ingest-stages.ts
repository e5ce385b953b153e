// The HTTP thread's ingest work, stage by stage, without HTTP: `npx tsx bench/micro/ingest-stages.ts [batches]`.
// Request bodies as the ingest benchmark sends them (bench/lib/bodies.ts: realistic purchases in batches of 100),
// then the steps POST /v1/events takes on the main thread (src/server/routes/events.ts, src/server/ingest.ts, the
// main-thread side of src/outbox/sqlite/store.ts), timed stage by stage in the main thread's CPU time (µs per
// event), plus the hand-off to a writer thread (postMessage's structured clone; the receiving side is not counted). Nine
// passes after a warm-up pass.
import { randomBytes } from 'node:crypto';
import { openSync, readSync } from 'node:fs';
import { loadavg } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { planDeliveries } from '../../src/delivery/plan.js';
import { applyConsentPolicy } from '../../src/event/consent.js';
import { applyCurrencyRule } from '../../src/event/currency.js';
import { parseCanonicalEvent } from '../../src/event/parse.js';
import type { CanonicalEvent } from '../../src/event/schema.js';
import { hashOnce } from '../../src/identity/hash-once.js';
import type { HashedEvent } from '../../src/identity/types.js';
import { sealContact } from '../../src/outbox/seal.js';
import { encodeStoredEvent } from '../../src/outbox/stored-event.js';
import type { IngestItem } from '../../src/outbox/types.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import type { CommonSettings } from '../../src/platforms/types.js';
import { jsonTextOf, parseJsonSafely } from '../../src/server/json-body.js';
import { EventBodies } from '../lib/bodies.js';
import { ALL_PLATFORMS, destinations, type DestinationName } from '../lib/gateway.js';

const batches = Number(process.argv[2] ?? 200);
const PER_BATCH = 100;
const settings = destinations('http://127.0.0.1:1', ALL_PLATFORMS).map((d) => PLATFORMS[d.platform as DestinationName].settingsSchema.parse(d) as CommonSettings);
const policy = { default: 'granted' as const, countries: {} };
const key = randomBytes(32);
const bodies = new EventBodies('stages');
const raw = Array.from({ length: batches }, (_, b) => Buffer.from(bodies.batch(b * PER_BATCH, PER_BATCH)));

type Stage = 'json' | 'validate' | 'hashOnce' | 'plan' | 'storedEvent' | 'seal' | 'postMessage';
const STAGES: Stage[] = ['json', 'validate', 'hashOnce', 'plan', 'storedEvent', 'seal', 'postMessage'];

/**
 * The process's CPU time in µs (getrusage: exact, unlike the per-thread /proc counters, which advance by scheduler
 * ticks). Nothing else runs here: the hand-off goes to a port nobody reads, so its receiving side costs nothing.
 */
function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

// Stage by stage within each batch, batch after batch, as the gateway does: the batch's events stay in the CPU
// caches from one stage to the next (a stage run over all batches at once measured cache misses as well).
function pass(): Record<Stage, number> {
  const t: Record<Stage, number> = { json: 0, validate: 0, hashOnce: 0, plan: 0, storedEvent: 0, seal: 0, postMessage: 0 };
  let c = cpuUs();
  const lap = (stage: Stage): void => {
    const now = cpuUs();
    t[stage] += now - c;
    c = now;
  };
  // The writer's end of the channel is never read: the message is serialized (the HTTP thread's cost) and queued.
  const channel = new MessageChannel();
  for (let b = 0; b < raw.length; b++) {
    const parsed = parseJsonSafely(jsonTextOf(raw[b]!)) as { events: unknown[] };
    lap('json');
    const events: CanonicalEvent[] = parsed.events.map((e, i) => applyCurrencyRule(parseCanonicalEvent(e, ['events', i]), undefined, ['events', i]));
    lap('validate');
    const hashed: HashedEvent[] = events.map((e) => hashOnce(applyConsentPolicy(e, policy), { includeContact: true }));
    lap('hashOnce');
    const items: IngestItem[] = hashed.map((event) => ({ event, source: 'api', test: false, deliveries: planDeliveries(event, settings, { test: false, source: 'api' }) }));
    lap('plan');
    const stored = items.map((item) => encodeStoredEvent(item.event));
    lap('storedEvent');
    const sealed = items.map((item) => item.deliveries.map((d) => (d.needs_contact && item.event.contact ? sealContact(item.event.contact, key, item.event.event_id) : null)));
    lap('seal');
    const wire = items.map((item, i) => ({ event_id: item.event.event_id, event_name: item.event.event_name, source: item.source, test: item.test, ...stored[i]!, deliveries: item.deliveries, sealed: sealed[i]! }));
    channel.port1.postMessage({ type: 'ops', ops: [{ id: b, op: { kind: 'ingest', now: Date.now(), items: wire } }] });
    lap('postMessage');
  }
  channel.port1.close();
  return t;
}

pass();
const runs = Array.from({ length: 9 }, () => pass());
const events = batches * PER_BATCH;
// A collection is counted in whichever stage allocates when it starts: the median per stage, and of the totals.
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const perStage = STAGES.map((stage) => `${stage} ${(median(runs.map((r) => r[stage])) / events).toFixed(2)}`);
const totals = runs.map((r) => STAGES.reduce((sum, stage) => sum + r[stage], 0) / events).sort((a, b) => a - b);
console.log(`main-thread ingest stages, CPU µs/event over ${events} events in batches of ${PER_BATCH} (load ${loadavg().map((l) => l.toFixed(2)).join(' / ')}):`);
console.log(`  median per stage: ${perStage.join(' | ')}`);
console.log(`  pass total: median ${totals[Math.floor(totals.length / 2)]!.toFixed(2)}, least ${totals[0]!.toFixed(2)}`);
