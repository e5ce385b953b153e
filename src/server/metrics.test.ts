import { describe, expect, it } from 'vitest';
import { countsReuseMs } from './metrics.js';

describe('countsReuseMs', () => {
  it('reuses a cheap reading for one scrape (the three gauges share it)', () => {
    expect(countsReuseMs(0)).toBe(250);
    expect(countsReuseMs(3)).toBe(250);
  });

  it('reuses an expensive reading ten times as long as it took, so counting stays under ~10% of the time', () => {
    expect(countsReuseMs(400)).toBe(4000);
    expect(countsReuseMs(1234.5)).toBe(12345);
  });
});
