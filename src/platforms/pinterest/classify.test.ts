import { describe, expect, it } from 'vitest';
import type { EventResult } from '../types.js';
import { classifyPinterest } from './classify.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const kinds = (results: EventResult[]) => results.map((r) => (r.ok ? 'ok' : r.error.kind));

describe('classifyPinterest', () => {
  it('reads per-event statuses on 200', () => {
    const body = {
      num_events_received: 3,
      num_events_processed: 2,
      events: [
        { status: 'processed', error_message: null, warning_message: null },
        { status: 'failed', error_message: 'Event time is too old', warning_message: null },
        { status: 'processed', error_message: null, warning_message: 'no click id' },
      ],
    };
    const r = classifyPinterest({ status: 200, headers: {}, body }, 3, NOW);
    expect(kinds(r.results)).toEqual(['ok', 'permanent', 'ok']);
    expect(r.results[1]).toEqual({ ok: false, error: { kind: 'permanent', code: 'pinterest_event_failed', message: 'Pinterest refused the event: Event time is too old' } });
    expect(r.wholeBatch).toBe(false);
  });

  it('accepts a 200 without per-event detail', () => {
    expect(kinds(classifyPinterest({ status: 200, headers: {}, body: { num_events_received: 2 } }, 2, NOW).results)).toEqual(['ok', 'ok']);
  });

  it('reads per-event statuses on 422, else splits', () => {
    const detailed = { code: 0, message: 'not all events processed', events: [{ status: 'failed', error_message: 'bad em' }, { status: 'processed' }] };
    const r = classifyPinterest({ status: 422, headers: {}, body: detailed }, 2, NOW);
    expect(kinds(r.results)).toEqual(['permanent', 'ok']);
    expect(r.wholeBatch).toBe(false);
    const bare = classifyPinterest({ status: 422, headers: {}, body: { code: 0, message: 'not all events processed', details: [] } }, 2, NOW);
    expect(kinds(bare.results)).toEqual(['permanent', 'permanent']);
    expect(bare.wholeBatch).toBe(true);
  });

  it("reads a 422's per-event errors from its details, refusing only the failed events (no bisecting)", () => {
    const body = {
      code: 4184,
      message: 'Not all events were processed successfully.',
      details: {
        num_events_received: 3,
        num_events_processed: 2,
        events: [
          { status: 'processed', error_message: null, warning_message: null },
          { status: 'failed', error_message: 'data[1].user_data.em[0] must be an array of SHA-256 hex strings.', warning_message: null },
          { status: 'processed', error_message: null, warning_message: 'click_id is missing' },
        ],
      },
    };
    const r = classifyPinterest({ status: 422, headers: {}, body }, 3, NOW);
    expect(kinds(r.results)).toEqual(['ok', 'permanent', 'ok']);
    expect(r.results[1]).toMatchObject({ ok: false, error: { code: 'pinterest_event_failed', message: expect.stringContaining('user_data.em') } });
    expect(r.wholeBatch).toBe(false);
    const listed = classifyPinterest({ status: 422, headers: {}, body: { ...body, details: body.details.events } }, 3, NOW);
    expect(kinds(listed.results)).toEqual(['ok', 'permanent', 'ok']);
  });

  it('does not trust an events array of the wrong length', () => {
    const r = classifyPinterest({ status: 422, headers: {}, body: { events: [{ status: 'failed' }] } }, 3, NOW);
    expect(r.wholeBatch).toBe(true);
  });

  it.each([
    [400, 'permanent', true],
    [401, 'auth', false],
    [403, 'auth', false],
    [404, 'permanent', false],
    [408, 'retryable', false],
    [429, 'retryable', false],
    [500, 'retryable', false],
    [503, 'retryable', false],
  ] as const)('HTTP %s is %s (split: %s)', (status, kind, split) => {
    const r = classifyPinterest({ status, headers: {}, body: { code: 4196, message: 'x' } }, 2, NOW);
    expect(kinds(r.results)).toEqual([kind, kind]);
    expect(r.wholeBatch).toBe(split);
  });

  it('retries 429 and 503 no sooner than Retry-After', () => {
    const r429 = classifyPinterest({ status: 429, headers: { 'retry-after': '60' }, body: { code: 8, message: 'Rate limit exceeded' } }, 1, NOW);
    expect(r429.results[0]).toEqual({
      ok: false,
      error: { kind: 'retryable', code: 'rate_limited', message: 'Pinterest answered HTTP 429 code 8: Rate limit exceeded', retryAfterMs: 60_000 },
    });
    const r503 = classifyPinterest({ status: 503, headers: { 'retry-after': 'Sat, 28 Nov 2026 12:00:10 GMT' }, body: '' }, 1, NOW);
    expect(r503.results[0]).toMatchObject({ ok: false, error: { retryAfterMs: 10_000 } });
  });
});
