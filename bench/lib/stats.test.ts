import { describe, expect, it } from 'vitest';
import { maxInWindow, percentile, summarize } from './stats.js';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(s, 50)).toBe(50);
    expect(percentile(s, 99)).toBe(99);
    expect(percentile(s, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
  it('summarizes unsorted samples', () => {
    expect(summarize([3, 1, 2])).toEqual({ count: 3, p50: 2, p90: 3, p99: 3, max: 3 });
  });
});

describe('maxInWindow', () => {
  it('counts the busiest window', () => {
    expect(maxInWindow([0, 100, 999, 1000, 1500, 5000], 1000)).toBe(3);
    expect(maxInWindow([], 1000)).toBe(0);
  });
});
