// Per-client-IP token buckets for POST /collect (docs/BROWSER.md). In memory: one gateway instance protects itself;
// behind several instances each applies the limit to what it receives. Idle buckets that have refilled are dropped
// when the map grows, so a scan from many addresses cannot grow memory without bound.

export interface IpRateLimitSettings {
  /** Steady events per second per IP. */
  per_second: number;
  /** Events allowed at once after a quiet period. */
  burst: number;
  /** Most addresses tracked at once. */
  max_tracked?: number;
}

interface Bucket {
  tokens: number;
  last: number;
}

export class IpRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxTracked: number;

  constructor(
    private readonly settings: IpRateLimitSettings,
    /** Monotonic milliseconds. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.maxTracked = settings.max_tracked ?? 100_000;
  }

  /** Takes one token for `ip`: `ok`, or the whole seconds to wait before the next one (for Retry-After). */
  take(ip: string): { ok: true } | { ok: false; retry_after_s: number } {
    const now = this.now();
    let bucket = this.buckets.get(ip);
    if (!bucket) {
      if (this.buckets.size >= this.maxTracked) this.evict(now);
      bucket = { tokens: this.settings.burst, last: now };
      this.buckets.set(ip, bucket);
    } else {
      bucket.tokens = Math.min(this.settings.burst, bucket.tokens + ((now - bucket.last) / 1000) * this.settings.per_second);
      bucket.last = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retry_after_s: Math.max(1, Math.ceil((1 - bucket.tokens) / this.settings.per_second)) };
  }

  get tracked(): number {
    return this.buckets.size;
  }

  private evict(now: number): void {
    for (const [ip, b] of this.buckets) {
      if (b.tokens + ((now - b.last) / 1000) * this.settings.per_second >= this.settings.burst) this.buckets.delete(ip);
    }
    // Still full of active addresses: forget the oldest half (Map iterates in insertion order).
    if (this.buckets.size >= this.maxTracked) {
      let drop = Math.ceil(this.buckets.size / 2);
      for (const ip of this.buckets.keys()) {
        if (drop-- <= 0) break;
        this.buckets.delete(ip);
      }
    }
  }
}
