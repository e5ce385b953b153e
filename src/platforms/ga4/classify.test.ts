import { describe, expect, it } from 'vitest';
import type { EventResult } from '../types.js';
import { classifyGa4 } from './classify.js';

const kinds = (results: EventResult[]) => results.map((r) => (r.ok ? 'ok' : r.error.kind));

describe('classifyGa4', () => {
  it('takes any 2xx of /mp/collect as received', () => {
    expect(kinds(classifyGa4({ status: 204, headers: {}, body: '' }, 1).results)).toEqual(['ok']);
    expect(kinds(classifyGa4({ status: 200, headers: {}, body: { validationMessages: [] } }, 1).results)).toEqual(['ok']);
  });

  it('turns validation messages of the validation server into a permanent failure that quotes them', () => {
    const body = { validationMessages: [{ fieldPath: 'events', description: 'Event at index: [0] has invalid name [_bad].', validationCode: 'NAME_INVALID' }] };
    const [result] = classifyGa4({ status: 200, headers: {}, body }, 1).results;
    expect(result).toEqual({ ok: false, error: { kind: 'permanent', code: 'ga4_validation', message: 'GA4 validation: NAME_INVALID events: Event at index: [0] has invalid name [_bad].' } });
  });

  it('retries 429 and 5xx, pauses on 401/403, refuses other 4xx', () => {
    expect(classifyGa4({ status: 429, headers: { 'retry-after': '7' }, body: '' }, 1, 0).results[0]).toMatchObject({ ok: false, error: { kind: 'retryable', retryAfterMs: 7000 } });
    expect(kinds(classifyGa4({ status: 503, headers: {}, body: '' }, 1).results)).toEqual(['retryable']);
    expect(kinds(classifyGa4({ status: 403, headers: {}, body: '' }, 1).results)).toEqual(['auth']);
    expect(kinds(classifyGa4({ status: 400, headers: {}, body: '' }, 1).results)).toEqual(['permanent']);
  });
});
