import { describe, expect, it } from 'vitest';
import type { EventResult, PlatformResponse } from '../types.js';
import { classifyTikTok, failingIndex } from './classify.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const answer = (code: number, message = 'OK', status = 200, headers: Record<string, string> = {}): PlatformResponse => ({
  status,
  headers,
  body: { code, message, request_id: 'r1', data: {} },
});
const kinds = (results: EventResult[]) => results.map((r) => (r.ok ? 'ok' : r.error.kind));

describe('classifyTikTok', () => {
  it.each([
    [0, ['ok', 'ok']],
    [20001, ['ok', 'ok']],
    [40001, ['auth', 'auth']],
    [40104, ['auth', 'auth']],
    [40105, ['auth', 'auth']],
    [40100, ['retryable', 'retryable']],
    [42900, ['retryable', 'retryable']],
    [51000, ['retryable', 'retryable']],
  ] as const)('HTTP 200 with code %s', (code, expected) => {
    const r = classifyTikTok(answer(code), 2, NOW);
    expect(kinds(r.results)).toEqual(expected);
    expect(r.wholeBatch).toBe(false);
  });

  it('marks only the events a 20001 partial success names as failed, and the others delivered', () => {
    const r = classifyTikTok(answer(20001, 'Partial success. data.1.user.email: Not a valid SHA-256 hash.; data.3.event_time: Not a valid unix timestamp in seconds.'), 4, NOW);
    expect(kinds(r.results)).toEqual(['ok', 'permanent', 'ok', 'permanent']);
    expect(r.results[1]).toMatchObject({ ok: false, error: { code: 'tiktok_20001', message: expect.stringContaining('data.1.user.email') } });
    expect(r.results[3]).toMatchObject({ ok: false, error: { message: expect.stringContaining('data.3.event_time') } });
    expect(r.wholeBatch).toBe(false);
  });

  it('refuses only the event a 40002 message names and retries the others at once', () => {
    const r = classifyTikTok(answer(40002, 'Batch.2.properties.contents.0.content_id: Not a valid string'), 4, NOW);
    expect(kinds(r.results)).toEqual(['retryable', 'retryable', 'permanent', 'retryable']);
    expect(r.results[0]).toMatchObject({ ok: false, error: { retryAfterMs: 0 } });
    expect(r.results[2]).toMatchObject({ ok: false, error: { code: 'tiktok_40002' } });
    expect(r.wholeBatch).toBe(false);
  });

  it('asks the worker to split when a 40002 does not say which event', () => {
    const r = classifyTikTok(answer(40002, 'Invalid value for event_source_id'), 3, NOW);
    expect(kinds(r.results)).toEqual(['permanent', 'permanent', 'permanent']);
    expect(r.wholeBatch).toBe(true);
    const single = classifyTikTok(answer(40002, 'data.0.event: bad'), 1, NOW);
    expect(kinds(single.results)).toEqual(['permanent']);
    expect(single.wholeBatch).toBe(false);
  });

  it('ignores an index outside the batch', () => {
    expect(classifyTikTok(answer(40002, 'data.7.event: bad'), 2, NOW).wholeBatch).toBe(true);
  });

  it('retries HTTP 429 and 5xx no sooner than Retry-After', () => {
    const r429 = classifyTikTok({ status: 429, headers: { 'retry-after': '12' }, body: '' }, 1, NOW);
    expect(r429.results[0]).toEqual({ ok: false, error: { kind: 'retryable', code: 'rate_limited', message: 'TikTok answered HTTP 429', retryAfterMs: 12_000 } });
    const r503 = classifyTikTok({ status: 503, headers: { 'retry-after': 'Sat, 28 Nov 2026 12:00:05 GMT' }, body: '' }, 2, NOW);
    expect(r503.results[1]).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'http_503', retryAfterMs: 5_000 } });
    const throttled = classifyTikTok(answer(40100, 'Too many requests', 200, { 'retry-after': '3' }), 1, NOW);
    expect(throttled.results[0]).toMatchObject({ ok: false, error: { kind: 'retryable', retryAfterMs: 3_000 } });
  });

  it('reads bare HTTP statuses when there is no TikTok envelope', () => {
    const at = (status: number) => kinds(classifyTikTok({ status, headers: {}, body: 'nginx' }, 2, NOW).results);
    expect(at(401)).toEqual(['auth', 'auth']);
    expect(at(403)).toEqual(['auth', 'auth']);
    expect(at(400)).toEqual(['permanent', 'permanent']);
    expect(at(404)).toEqual(['retryable', 'retryable']);
    expect(at(200)).toEqual(['retryable', 'retryable']);
  });
});

describe('failingIndex', () => {
  it('reads Batch.<i>. and data.<i>.', () => {
    expect(failingIndex('Batch.0.properties.contents.0.content_id: Not a valid string')).toBe(0);
    expect(failingIndex('data.12.user.email: invalid')).toBe(12);
    expect(failingIndex('metadata.3.x')).toBeUndefined();
    expect(failingIndex('Invalid access token')).toBeUndefined();
  });
});
