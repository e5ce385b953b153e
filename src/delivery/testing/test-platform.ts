import { z } from 'zod';
import { permanent, retryable, authFailure } from '../../errors.js';
import type { HashedEvent } from '../../identity/types.js';
import { parseRetryAfter } from '../../platforms/retry-after.js';
import { withBaseUrl, type CommonSettings, type Platform, type PlatformResponse } from '../../platforms/types.js';

// A small platform for the worker's tests, speaking a Meta-like protocol to a test server: POST {data:[…]};
// 200 {received:n, errors?:[{index, code, message}]} per-event refusals; 400 {code:'bad_event'} refuses the
// whole batch (the worker must split); 429 / 5xx retryable; 401 auth.

export interface TestSettings extends CommonSettings {
  token?: string;
}

export function testPlatform(overrides: Partial<Platform<TestSettings>> = {}): Platform<TestSettings> {
  return {
    name: 'meta',
    maxBatch: 1000,
    maxEventAgeSec: 7 * 24 * 3600,
    eventName: (canonical) => canonical,
    settingsSchema: z.looseObject({ id: z.string(), platform: z.literal('meta') }) as unknown as z.ZodType<TestSettings>,
    placeholderSettings: { id: 'test', platform: 'meta' },
    secretSettings: ['token'],
    isTestMode: (s) => s.test === true,
    skipReason: (event: HashedEvent) => (event.event_name === 'page_view' ? 'not_mapped' : null),
    buildRequest: (events, settings, ctx) => ({
      method: 'POST',
      url: withBaseUrl('https://graph.test.invalid/v1/events', settings.base_url),
      headers: (ctx.accessToken ? { authorization: `Bearer ${ctx.accessToken}` } : {}) as Record<string, string>,
      body: { data: events.map((e) => ({ event_id: e.event_id, event_name: e.event_name, event_time: e.event_time, email: e.contact?.email })) },
    }),
    classify: (response: PlatformResponse, batchSize: number) => {
      const fill = (r: ReturnType<typeof permanent> | null) => Array.from({ length: batchSize }, () => (r ? { ok: false as const, error: r } : { ok: true as const }));
      const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as { code?: string; errors?: { index: number; code: string; message: string }[] };
      if (response.status === 200) {
        const results = fill(null) as ({ ok: true } | { ok: false; error: ReturnType<typeof permanent> })[];
        for (const e of body.errors ?? []) results[e.index] = { ok: false, error: permanent(e.code, e.message) };
        return { results, wholeBatch: false };
      }
      if (response.status === 400) return { results: fill(permanent(body.code ?? 'http_400', 'invalid parameter')), wholeBatch: batchSize > 1 };
      if (response.status === 401) return { results: fill(authFailure('http_401', 'token expired')), wholeBatch: false };
      const wait = parseRetryAfter(response.headers['retry-after'], Date.now());
      return { results: fill(retryable(`http_${response.status}`, 'try later', wait)), wholeBatch: false };
    },
    ...overrides,
  };
}
