import { describe, expect, it } from 'vitest';
import type { PlatformResponse } from '../types.js';
import { classifyKlaviyo, scrubDetail } from './classify.js';

const res = (status: number, body: unknown = '', headers: Record<string, string> = {}): PlatformResponse => ({ status, headers, body });
const jsonApi = (status: number, code: string, detail: string, pointer?: string) => ({
  errors: [{ id: 'e1', status, code, title: 'Invalid input.', detail, ...(pointer ? { source: { pointer } } : {}) }],
});

describe('classifyKlaviyo', () => {
  it('202 Accepted (empty body) is ok', () => {
    expect(classifyKlaviyo(res(202), 1)).toEqual({ results: [{ ok: true }], wholeBatch: false });
  });

  it('400 is permanent with the JSON:API code, pointer and a detail that echoes no PII', () => {
    const out = classifyKlaviyo(res(400, jsonApi(400, 'invalid', "Invalid phone number '+1 650 555 1212' for jane@example.com", '/data/attributes/profile/data/attributes/phone_number')), 1);
    expect(out).toEqual({
      results: [{ ok: false, error: { kind: 'permanent', code: 'invalid', message: "Invalid phone number '[number]' for [email] (at /data/attributes/profile/data/attributes/phone_number)" } }],
      wholeBatch: false,
    });
  });

  it.each([
    [401, 'not_authenticated', 'auth'],
    [403, 'permission_denied', 'auth'],
    [500, 'error', 'retryable'],
    [503, 'service_unavailable', 'retryable'],
    [404, 'not_found', 'permanent'],
  ] as const)('%i → %s', (status, code, kind) => {
    expect(classifyKlaviyo(res(status, jsonApi(status, code, 'x')), 1).results[0]).toMatchObject({ ok: false, error: { kind, code } });
  });

  it('429 is retryable after Retry-After', () => {
    const out = classifyKlaviyo(res(429, jsonApi(429, 'throttled', 'Request was throttled.'), { 'retry-after': '2' }), 1);
    expect(out.results[0]).toEqual({ ok: false, error: { kind: 'retryable', code: 'throttled', message: 'Request was throttled.', retryAfterMs: 2000 } });
  });

  it('an error without a JSON:API body classifies by status', () => {
    expect(classifyKlaviyo(res(502, '<html/>'), 1).results[0]).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'HTTP_502' } });
  });

  it('scrubs emails and phone-like numbers but keeps ordinary words', () => {
    expect(scrubDetail('value a.b+c@d.co is bad; call 0044 20 7946 0958')).toBe('value [email] is bad; call [number]');
    expect(scrubDetail('revision 2026 is not valid')).toBe('revision 2026 is not valid');
  });
});
