import { describe, expect, it } from 'vitest';
import { judge } from './targets.js';

describe('judge', () => {
  it('passes figures that meet their bound and fails the others, and missing ones', () => {
    const verdicts = judge({ 'transform.meta': 70_000, 'ingest.single': 9_999, 'ingest.p99at5000': 25 });
    const by = Object.fromEntries(verdicts.map((v) => [v.target.id, v.ok]));
    expect(by['transform.meta']).toBe(true);
    expect(by['ingest.single']).toBe(false);
    expect(by['ingest.p99at5000']).toBe(true);
    expect(by['ingest.batched']).toBe(false);
  });
});
