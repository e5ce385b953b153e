import type { PlatformName } from '../event/names.js';
import type { RateLimit } from './token-bucket.js';

// Requests per second per destination, below each platform's published limit so a single gateway never trips it on
// its own: Pinterest 5,000 calls/min per ad account (src/platforms/pinterest/README.md), Klaviyo 350/s burst and
// 3,500/min steady (https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling). Meta, TikTok and Google
// publish no fixed figure for these endpoints; at 1,000 events per request (2,000 for Google) these rates already
// carry tens of thousands of events per second, and a 429 slows the destination down further through Retry-After and
// backoff.
export const DEFAULT_RATE_LIMITS: Record<PlatformName, RateLimit> = {
  meta: { per_second: 50 },
  tiktok: { per_second: 50 },
  pinterest: { per_second: 80 },
  google: { per_second: 20 },
  klaviyo: { per_second: 55, burst: 300 },
  snapchat: { per_second: 50 },
  microsoft: { per_second: 20 },
  // Reddit asks for few requests carrying many events each (up to 1,000 per request): a handful per second.
  reddit: { per_second: 5, burst: 10 },
  // GA4 publishes no Measurement Protocol rate; one event per request (src/platforms/ga4/index.ts).
  ga4: { per_second: 50 },
};
