import { describe, expect, it } from 'vitest';
import { backoffMs, BACKOFF_CAP_MS } from './backoff.js';

describe('backoffMs', () => {
  it('grows exponentially from the base up to the cap', () => {
    const top = () => 0.999999;
    expect(backoffMs(1, top)).toBe(999);
    expect(backoffMs(2, top)).toBe(1999);
    expect(backoffMs(5, top)).toBe(15_999);
    expect(backoffMs(40, top)).toBe(BACKOFF_CAP_MS - 1);
  });
  it('draws the whole range [0, ceiling) (full jitter)', () => {
    expect(backoffMs(3, () => 0)).toBe(0);
    expect(backoffMs(3, () => 0.5)).toBe(2000);
  });
});
