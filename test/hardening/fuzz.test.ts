import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzPostRoutes } from '../../chaos/lib/fuzz.js';
import { startTarget, STORES, type Target } from './target.js';

// The fuzz suite, bounded for `npm test` (`npm run chaos` runs it with many more inputs: chaos/fuzz.ts). A failure
// prints fast-check's seed and shrunk counterexample; replay it with FUZZ_SEED=<seed>.

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

describe.each(STORES)('fuzzing every POST route on the %s store', (kind) => {
  let t: Target;
  beforeAll(async () => {
    t = await startTarget(kind);
  }, 60_000);
  afterAll(async () => t?.close());

  it(`never answers 5xx, never crashes, and a refused request changes no delivery (${RUNS} runs)`, async () => {
    const report = await fuzzPostRoutes(t, RUNS, SEED);
    expect(report.failures).toEqual([]);
    expect(report.refused).toBeGreaterThan(0);
  }, 300_000);
});
