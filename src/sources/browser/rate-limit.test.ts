import { describe, expect, it } from 'vitest';
import { IpRateLimiter } from './rate-limit.js';

describe('IpRateLimiter', () => {
  it('allows the burst, then refuses with the seconds until the next token, per address', () => {
    let now = 0;
    const limiter = new IpRateLimiter({ per_second: 0.5, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('203.0.113.1').ok)).toEqual([true, true, true]);
    expect(limiter.take('203.0.113.1')).toEqual({ ok: false, retry_after_s: 2 });
    expect(limiter.take('2001:db8::1').ok).toBe(true);
    now += 2000;
    expect(limiter.take('203.0.113.1').ok).toBe(true);
    expect(limiter.take('203.0.113.1').ok).toBe(false);
  });

  it('tracks a bounded number of addresses', () => {
    let now = 0;
    const limiter = new IpRateLimiter({ per_second: 1, burst: 1, max_tracked: 100 }, () => now);
    for (let i = 0; i < 1000; i++) {
      limiter.take(`198.51.100.${i % 250}-${i}`);
      now += 1;
    }
    expect(limiter.tracked).toBeLessThanOrEqual(100);
  });
});
