import type { PlatformName } from '../src/event/names.js';
import { parseCanonicalEvent } from '../src/event/parse.js';
import type { HashedEvent } from '../src/identity/types.js';
import { hashOnce } from '../src/identity/hash-once.js';
import { PLATFORMS } from '../src/platforms/registry.js';
import { purchaseEvent, seededRandom } from './fixtures.js';

// Transform cost on one core (docs/BENCHMARKS.md): raw canonical event (the parsed JSON object) → validated event →
// identity hashed once → for each platform of the registry, the events it sends (its skipReason) batched as the
// gateway batches, body serialized to the JSON the wire carries. Every platform of src/platforms/registry.ts is
// measured with its placeholder settings, so a platform added there shows up here without touching this file.
// Median of three passes over the same deterministic purchases (bench/fixtures.ts), after a warm-up pass.

export interface TransformFigures {
  events: number;
  metaEventsPerSec: number;
  /** raw → the body of every platform in the registry. */
  allEventsPerSec: number;
  /**
   * The same two passes in the process's CPU time (µs per event): on a shared machine the wall-clock figures
   * include the time other processes held the core, this does not.
   */
  cpuUsPerEvent: { meta: number; all: number };
  platforms: PlatformName[];
  /** CPU µs per event for each stage of the all-platforms pass. */
  stagesUs: { parse: number; hashOnce: number; build: Partial<Record<PlatformName, number>> };
}

const ALL = Object.keys(PLATFORMS) as PlatformName[];
const CTX = { now: Math.floor(Date.now() / 1000), accessToken: 'ya29.bench-token' };

function buildAll(hashed: HashedEvent[], platform: PlatformName): number {
  const p = PLATFORMS[platform];
  const settings = p.placeholderSettings;
  const sendable = hashed.filter((e) => p.skipReason(e, settings) === null);
  let bytes = 0;
  for (let i = 0; i < sendable.length; i += p.maxBatch) {
    const request = p.buildRequest(sendable.slice(i, i + p.maxBatch), settings, CTX);
    bytes += JSON.stringify(request.body).length;
  }
  return bytes;
}

interface Pass {
  seconds: number;
  cpuSeconds: number;
  /** CPU ms per stage (the process's CPU time: other processes' use of the core is not counted). */
  parse: number;
  hash: number;
  build: Partial<Record<PlatformName, number>>;
}

/** The process's CPU time in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function pass(raws: unknown[], platforms: PlatformName[], includeContact: boolean): Pass {
  const t0 = performance.now();
  const c0 = cpuMs();
  const events = raws.map((r) => parseCanonicalEvent(r));
  const c1 = cpuMs();
  const hashed = events.map((e) => hashOnce(e, { includeContact }));
  const c2 = cpuMs();
  const build: Partial<Record<PlatformName, number>> = {};
  let sink = 0;
  let before = c2;
  for (const p of platforms) {
    sink += buildAll(hashed, p);
    const after = cpuMs();
    build[p] = after - before;
    before = after;
  }
  if (sink < 0) console.log(sink);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (before - c0) / 1000, parse: c1 - c0, hash: c2 - c1, build };
}

function median<T>(runs: T[], key: (t: T) => number): T {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor(runs.length / 2)]!;
}

export function runTransform(count = 50_000): TransformFigures {
  const rnd = seededRandom(7);
  const now = Math.floor(Date.now() / 1000);
  const raws = Array.from({ length: count }, (_, i) => purchaseEvent(i, rnd, now));
  // Klaviyo's builder reads the shopper's plain contact (sealed in the store), which hashOnce keeps only on request.
  const contact = ALL.includes('klaviyo');
  pass(raws.slice(0, Math.min(count, 10_000)), ['meta'], false);
  const meta = median([pass(raws, ['meta'], false), pass(raws, ['meta'], false), pass(raws, ['meta'], false)], (r) => r.seconds);
  pass(raws.slice(0, Math.min(count, 10_000)), ALL, contact);
  const all = median([pass(raws, ALL, contact), pass(raws, ALL, contact), pass(raws, ALL, contact)], (r) => r.seconds);
  const us = (ms: number): number => Math.round((ms * 1000 * 100) / count) / 100;
  return {
    events: count,
    metaEventsPerSec: count / meta.seconds,
    allEventsPerSec: count / all.seconds,
    cpuUsPerEvent: { meta: Math.round((meta.cpuSeconds * 1e8) / count) / 100, all: Math.round((all.cpuSeconds * 1e8) / count) / 100 },
    platforms: ALL,
    stagesUs: {
      parse: us(all.parse),
      hashOnce: us(all.hash),
      build: Object.fromEntries(ALL.map((p) => [p, us(all.build[p] ?? 0)])),
    },
  };
}
