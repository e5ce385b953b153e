import { describe, expect, it } from 'vitest';
import { judge, TARGETS } from './targets.js';

describe('judge', () => {
  it('passes figures that meet their bound and fails the others, and missing ones', () => {
    const verdicts = judge({ 'transform.meta': 70_000, 'ingest.single': 9_999, 'ingest.p99at5000': 25 });
    const by = Object.fromEntries(verdicts.map((v) => [v.target.id, v.ok]));
    expect(by['transform.meta']).toBe(true);
    expect(by['ingest.single']).toBe(false);
    expect(by['ingest.p99at5000']).toBe(true);
    expect(by['ingest.batched']).toBe(false);
  });

  it('judges the footprint ceilings: at the bound is met, above it or not a number is missed', () => {
    const verdicts = judge({
      'footprint.cpuBatched': 40,
      'footprint.cpuSingle': 80.1,
      'footprint.rssIngest': 199,
      'footprint.rssPending': Number.NaN,
      'footprint.rssDrain': 201,
      'footprint.diskPerEvent': 1000,
      'footprint.metrics': 0.4,
    });
    const by = Object.fromEntries(verdicts.map((v) => [v.target.id, v.ok]));
    expect(by).toMatchObject({
      'footprint.cpuBatched': true,
      'footprint.cpuSingle': false,
      'footprint.rssIngest': true,
      'footprint.rssPending': false,
      'footprint.rssDrain': false,
      'footprint.rssSnapshot': false,
      'footprint.diskPerEvent': true,
      'footprint.metrics': true,
    });
  });

  it('has one target per id, each with exactly one bound', () => {
    expect(new Set(TARGETS.map((t) => t.id)).size).toBe(TARGETS.length);
    for (const t of TARGETS) expect((t.min === undefined) !== (t.max === undefined)).toBe(true);
  });
});
