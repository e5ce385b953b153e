// The HTTP thread's ingest work, stage by stage, without HTTP: `npx tsx bench/micro/ingest-stages.ts [batches]`.
// Request bodies as the ingest benchmark sends them (bench/lib/bodies.ts: realistic purchases in batches of 100),
// then the steps POST /v1/events takes on the main thread (src/server/routes/events.ts, src/server/ingest.ts, the
// main-thread side of src/outbox/sqlite/store.ts), each over every batch in turn, timed in the main thread's CPU
// time (µs per event), plus the hand-off to a writer thread (a real Worker's postMessage; the receiving side is not
// counted). The median of five passes after a warm-up pass.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { planDeliveries } from '../../src/delivery/plan.js';
import { applyConsentPolicy } from '../../src/event/consent.js';
import { applyCurrencyRule } from '../../src/event/currency.js';
import { parseCanonicalEvent } from '../../src/event/parse.js';
import type { CanonicalEvent } from '../../src/event/schema.js';
import { hashOnce } from '../../src/identity/hash-once.js';
import type { HashedEvent } from '../../src/identity/types.js';
import { sealContact } from '../../src/outbox/seal.js';
import { storedBody } from '../../src/outbox/sqlite/store.js';
import type { IngestItem } from '../../src/outbox/types.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import type { CommonSettings } from '../../src/platforms/types.js';
import { decodeUtf8Strictly, parseJsonSafely } from '../../src/server/json-body.js';
import { EventBodies } from '../lib/bodies.js';
import { ALL_PLATFORMS, destinations, type DestinationName } from '../lib/gateway.js';

const batches = Number(process.argv[2] ?? 200);
const PER_BATCH = 100;
const settings = destinations('http://127.0.0.1:1', ALL_PLATFORMS).map((d) => PLATFORMS[d.platform as DestinationName].settingsSchema.parse(d) as CommonSettings);
const policy = { default: 'granted' as const, countries: {} };
const key = randomBytes(32);
const bodies = new EventBodies('stages');
const raw = Array.from({ length: batches }, (_, b) => Buffer.from(bodies.batch(b * PER_BATCH, PER_BATCH)));
const worker = new Worker("require('node:worker_threads').parentPort.on('message', () => {})", { eval: true });

type Stage = 'json' | 'validate' | 'hashOnce' | 'plan' | 'storedBody' | 'seal' | 'postMessage';
const STAGES: Stage[] = ['json', 'validate', 'hashOnce', 'plan', 'storedBody', 'seal', 'postMessage'];

/** This thread's CPU time in µs (/proc/thread-self/schedstat: ns on CPU), so the writer thread's share is not counted. */
function cpuUs(): number {
  const text = readFileSync('/proc/thread-self/schedstat', 'utf8');
  return Number(text.slice(0, text.indexOf(' '))) / 1000;
}

function pass(): Record<Stage, number> {
  const t: Record<Stage, number> = { json: 0, validate: 0, hashOnce: 0, plan: 0, storedBody: 0, seal: 0, postMessage: 0 };
  let c = cpuUs();
  const lap = (stage: Stage): void => {
    const now = cpuUs();
    t[stage] += now - c;
    c = now;
  };
  const parsed = raw.map((r) => parseJsonSafely(decodeUtf8Strictly(r)) as { events: unknown[] });
  lap('json');
  const events: CanonicalEvent[][] = parsed.map((p) => p.events.map((e, i) => applyCurrencyRule(parseCanonicalEvent(e, ['events', i]), undefined, ['events', i])));
  lap('validate');
  const hashed: HashedEvent[][] = events.map((list) => list.map((e) => hashOnce(applyConsentPolicy(e, policy), { includeContact: true })));
  lap('hashOnce');
  const items: IngestItem[][] = hashed.map((list) => list.map((event) => ({ event, source: 'api', test: false, deliveries: planDeliveries(event, settings, { test: false, source: 'api' }) })));
  lap('plan');
  const texts = items.map((list) => list.map((item) => storedBody(item.event)));
  lap('storedBody');
  const sealed = items.map((list) => list.map((item) => item.deliveries.map((d) => (d.needs_contact && item.event.contact ? sealContact(item.event.contact, key, item.event.event_id) : null))));
  lap('seal');
  for (let b = 0; b < items.length; b++) {
    const wire = items[b]!.map((item, i) => ({ event_id: item.event.event_id, event_name: item.event.event_name, source: item.source, test: item.test, body: texts[b]![i]!, deliveries: item.deliveries, sealed: sealed[b]![i]! }));
    worker.postMessage({ type: 'ops', ops: [{ id: b, op: { kind: 'ingest', now: Date.now(), items: wire } }] });
  }
  lap('postMessage');
  return t;
}

pass();
const runs = Array.from({ length: 5 }, () => pass());
const events = batches * PER_BATCH;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
let total = 0;
const rows = STAGES.map((s) => {
  const us = median(runs.map((r) => r[s])) / events;
  total += us;
  return `${s} ${us.toFixed(2)}`;
});
console.log(`main-thread ingest stages, CPU µs/event over ${events} events in batches of ${PER_BATCH} (load ${loadavg().map((l) => l.toFixed(2)).join(' / ')}):`);
console.log(`  ${rows.join(' | ')} | total ${total.toFixed(2)}`);
await worker.terminate();
