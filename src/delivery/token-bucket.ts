// A per-destination request rate limit. Tokens refill continuously at `ratePerSec` up to `burst`; a request
// reserves a token and is told how long to wait for it, so callers queue in order without polling.

export interface RateLimit {
  /** Steady requests per second. */
  per_second: number;
  /** Requests allowed at once after a quiet period (default: one second's worth). */
  burst?: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {
    this.burst = Math.max(1, limit.burst ?? limit.per_second);
    this.tokens = this.burst;
    this.last = monotonicNow();
  }

  /** Reserves one token; returns the milliseconds to wait before using it (0 = now). */
  reserve(): number {
    const now = this.monotonicNow();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.limit.per_second);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.limit.per_second) * 1000;
  }
}
