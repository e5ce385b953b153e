import { parseCanonicalEvent } from '../src/event/parse.js';
import type { HashedEvent } from '../src/identity/types.js';
import { hashOnce } from '../src/identity/hash-once.js';
import { PLATFORMS } from '../src/platforms/registry.js';
import type { CommonSettings } from '../src/platforms/types.js';
import { purchaseEvent, seededRandom } from './fixtures.js';
import { destinations, TRANSFORM_PLATFORMS, type TransformPlatform } from './lib/gateway.js';

// Transform cost on one core (issue 2 "Speed"): raw canonical event (the parsed JSON object) → validated event →
// identity hashed once → each platform's request, batched as the gateway batches, body serialized to the JSON the
// wire carries. Median of three passes over the same 50,000 deterministic purchases, after a warm-up pass.

export interface TransformFigures {
  events: number;
  metaEventsPerSec: number;
  allEventsPerSec: number;
  /** µs per event for each stage of the every-platform pass. */
  stagesUs: { parse: number; hashOnce: number; build: Record<TransformPlatform, number> };
}

const settings = Object.fromEntries(
  destinations('http://127.0.0.1:1', TRANSFORM_PLATFORMS).map((d) => [d.id, PLATFORMS[d.platform as TransformPlatform].settingsSchema.parse(d) as CommonSettings]),
) as Record<TransformPlatform, CommonSettings>;
const CTX = { now: Math.floor(Date.now() / 1000), accessToken: 'ya29.bench-token' };

function buildAll(hashed: HashedEvent[], platform: TransformPlatform): number {
  const p = PLATFORMS[platform];
  let bytes = 0;
  for (let i = 0; i < hashed.length; i += p.maxBatch) {
    const request = p.buildRequest(hashed.slice(i, i + p.maxBatch), settings[platform], CTX);
    bytes += JSON.stringify(request.body).length;
  }
  return bytes;
}

function pass(raws: unknown[], platforms: TransformPlatform[], includeContact: boolean): { seconds: number; parse: number; hash: number; build: Partial<Record<TransformPlatform, number>> } {
  const t0 = performance.now();
  const events = raws.map((r) => parseCanonicalEvent(r));
  const t1 = performance.now();
  const hashed = events.map((e) => hashOnce(e, { includeContact }));
  const t2 = performance.now();
  const build: Partial<Record<TransformPlatform, number>> = {};
  let sink = 0;
  for (const p of platforms) {
    const s = performance.now();
    sink += buildAll(hashed, p);
    build[p] = performance.now() - s;
  }
  if (sink < 0) console.log(sink);
  return { seconds: (performance.now() - t0) / 1000, parse: t1 - t0, hash: t2 - t1, build };
}

function median<T>(runs: T[], key: (t: T) => number): T {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor(runs.length / 2)]!;
}

export function runTransform(count = 50_000): TransformFigures {
  const rnd = seededRandom(7);
  const now = Math.floor(Date.now() / 1000);
  const raws = Array.from({ length: count }, (_, i) => purchaseEvent(i, rnd, now));
  pass(raws.slice(0, Math.min(count, 10_000)), ['meta'], false);
  const meta = median([pass(raws, ['meta'], false), pass(raws, ['meta'], false), pass(raws, ['meta'], false)], (r) => r.seconds);
  pass(raws.slice(0, Math.min(count, 10_000)), TRANSFORM_PLATFORMS, true);
  const all = median([pass(raws, TRANSFORM_PLATFORMS, true), pass(raws, TRANSFORM_PLATFORMS, true), pass(raws, TRANSFORM_PLATFORMS, true)], (r) => r.seconds);
  const us = (ms: number): number => Math.round((ms * 1000 * 100) / count) / 100;
  return {
    events: count,
    metaEventsPerSec: count / meta.seconds,
    allEventsPerSec: count / all.seconds,
    stagesUs: {
      parse: us(all.parse),
      hashOnce: us(all.hash),
      build: Object.fromEntries(TRANSFORM_PLATFORMS.map((p) => [p, us(all.build[p] ?? 0)])) as Record<TransformPlatform, number>,
    },
  };
}
