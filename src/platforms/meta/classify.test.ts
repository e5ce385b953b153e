import { describe, expect, it } from 'vitest';
import type { PlatformResponse } from '../types.js';
import { classifyMeta } from './classify.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const metaError = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): PlatformResponse => ({
  status,
  headers,
  body: { error: { message: 'Invalid parameter', type: 'OAuthException', fbtrace_id: 'A1', ...error } },
});

describe('classifyMeta', () => {
  it('accepts the whole batch on events_received', () => {
    const r = classifyMeta({ status: 200, headers: {}, body: { events_received: 3, messages: [], fbtrace_id: 'x' } }, 3, NOW);
    expect(r).toEqual({ results: [{ ok: true }, { ok: true }, { ok: true }], wholeBatch: false });
  });

  it.each([
    // code, subcode, status, kind
    [1, undefined, 500, 'retryable'],
    [2, undefined, 503, 'retryable'],
    [4, undefined, 400, 'retryable'],
    [17, undefined, 400, 'retryable'],
    [80003, 2446079, 400, 'retryable'],
    [341, undefined, 400, 'retryable'],
    [368, 1390008, 400, 'retryable'],
    [5000, undefined, 400, 'retryable'],
    [21009, undefined, 400, 'retryable'],
    [190, 463, 400, 'auth'],
    [190, 460, 401, 'auth'],
    [102, undefined, 400, 'auth'],
    [100, 2804003, 400, 'permanent'],
    [100, 33, 400, 'auth'],
    [10, undefined, 400, 'auth'],
    [3, undefined, 400, 'permanent'],
    [105, undefined, 400, 'permanent'],
    [294, undefined, 403, 'auth'],
    [200, undefined, 403, 'auth'],
    [299, undefined, 403, 'auth'],
    [987654, undefined, 400, 'retryable'],
  ] as const)('code %s/%s (HTTP %s) is %s', (code, subcode, status, kind) => {
    const r = classifyMeta(metaError(status, { code, error_subcode: subcode }), 2, NOW);
    expect(r.results).toHaveLength(2);
    expect(r.results.every((x) => !x.ok && x.error.kind === kind)).toBe(true);
  });

  it('names the code and subcode, and never quotes error_user_msg', () => {
    const r = classifyMeta(metaError(400, { code: 100, error_subcode: 2804003, error_user_title: 'Event Timestamp Too Old', error_user_msg: 'jane@example.com' }), 1, NOW);
    const first = r.results[0];
    if (!first || first.ok) throw new Error('expected a failure');
    expect(first.error.code).toBe('meta_100_2804003');
    expect(first.error.message).toContain('Event Timestamp Too Old');
    expect(first.error.message).not.toContain('jane@example.com');
  });

  it('asks the worker to split a batch refused for an invalid parameter, not a single event', () => {
    expect(classifyMeta(metaError(400, { code: 100, error_subcode: 2804019 }), 5, NOW).wholeBatch).toBe(true);
    expect(classifyMeta(metaError(400, { code: 100 }), 1, NOW).wholeBatch).toBe(false);
    // Configuration and permission refusals would repeat in every half: no split.
    expect(classifyMeta(metaError(400, { code: 100, error_subcode: 33 }), 5, NOW).wholeBatch).toBe(false);
    expect(classifyMeta(metaError(403, { code: 200 }), 5, NOW).wholeBatch).toBe(false);
    expect(classifyMeta(metaError(400, { code: 190 }), 5, NOW).wholeBatch).toBe(false);
  });

  it('honours is_transient over the code', () => {
    const r = classifyMeta(metaError(400, { code: 100, is_transient: true }), 2, NOW);
    expect(r.results[0]).toMatchObject({ ok: false, error: { kind: 'retryable' } });
    expect(r.wholeBatch).toBe(false);
  });

  it('retries HTTP 429 and rate-limit codes no sooner than Retry-After', () => {
    const r429 = classifyMeta({ status: 429, headers: { 'retry-after': '30' }, body: '' }, 1, NOW);
    expect(r429.results[0]).toEqual({ ok: false, error: { kind: 'retryable', code: 'rate_limited', message: 'Meta answered HTTP 429', retryAfterMs: 30_000 } });
    const date = classifyMeta(metaError(400, { code: 17 }, { 'retry-after': 'Sat, 28 Nov 2026 12:01:00 GMT' }), 1, NOW);
    expect(date.results[0]).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'meta_17', retryAfterMs: 60_000 } });
    const none = classifyMeta(metaError(400, { code: 4 }), 1, NOW);
    expect(none.results[0]).toMatchObject({ ok: false, error: { kind: 'retryable' } });
    expect(none.results[0]?.ok === false && 'retryAfterMs' in none.results[0].error).toBe(false);
  });

  it('reads bare HTTP statuses when there is no Meta error object', () => {
    const kindOf = (status: number) => {
      const first = classifyMeta({ status, headers: {}, body: '<html>bad gateway</html>' }, 3, NOW).results[0];
      return first && !first.ok ? first.error.kind : 'ok';
    };
    expect(kindOf(502)).toBe('retryable');
    expect(kindOf(401)).toBe('auth');
    expect(kindOf(403)).toBe('auth');
    expect(kindOf(400)).toBe('permanent');
    expect(classifyMeta({ status: 400, headers: {}, body: '' }, 3, NOW).wholeBatch).toBe(true);
  });
});
