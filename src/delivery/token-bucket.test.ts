import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('lets a burst through, then spaces requests at the steady rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ per_second: 10, burst: 3 }, () => now);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    expect(bucket.reserve()).toBeCloseTo(100);
    expect(bucket.reserve()).toBeCloseTo(200);
    now = 1000;
    expect(bucket.reserve()).toBe(0);
  });
  it('defaults the burst to one second of traffic', () => {
    const bucket = new TokenBucket({ per_second: 2 }, () => 0);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 500]);
  });
});
