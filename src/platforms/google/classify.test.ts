import { describe, expect, it } from 'vitest';
import type { PlatformResponse } from '../types.js';
import { classifyGoogle } from './classify.js';

const res = (status: number, body: unknown = {}, headers: Record<string, string> = {}): PlatformResponse => ({ status, headers, body });

const rowError = (index: number, code: Record<string, string>, message = 'row problem') => ({
  errorCode: code,
  message,
  location: { fieldPathElements: [{ fieldName: 'conversions', index }, { fieldName: 'gclid' }] },
});

const partialFailure = (...errors: object[]) => ({
  results: [{}, {}, {}],
  partialFailureError: {
    code: 3,
    message: 'partial failure',
    details: [{ '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure', errors }],
  },
});

const rpcError = (code: number, status: string, errors: object[] = [], extra: object[] = []) => ({
  error: { code, message: `${status} message`, status, details: [{ '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure', errors }, ...extra] },
});

describe('classifyGoogle', () => {
  it('200 without partialFailureError: every row ok', () => {
    expect(classifyGoogle(res(200, { results: [{}, {}] }), 2)).toEqual({ results: [{ ok: true }, { ok: true }], wholeBatch: false });
  });

  it('200 with partialFailureError: the named rows fail for good, the others are ok', () => {
    const out = classifyGoogle(res(200, partialFailure(rowError(1, { conversionUploadError: 'CLICK_NOT_FOUND' }), rowError(1, { conversionUploadError: 'EXPIRED_EVENT' }))), 3);
    expect(out.wholeBatch).toBe(false);
    expect(out.results[0]).toEqual({ ok: true });
    expect(out.results[2]).toEqual({ ok: true });
    expect(out.results[1]).toEqual({ ok: false, error: { kind: 'permanent', code: 'CLICK_NOT_FOUND', message: 'CLICK_NOT_FOUND: row problem' } });
  });

  it('reads adjustment rows too, and retries rows Google says are too recent after 6 hours', () => {
    const adjustmentError = { errorCode: { conversionAdjustmentUploadError: 'TOO_RECENT_CONVERSION_ACTION' }, location: { fieldPathElements: [{ fieldName: 'conversion_adjustments', index: 0 }] } };
    const out = classifyGoogle(res(200, partialFailure(adjustmentError)), 1);
    expect(out.results[0]).toEqual({ ok: false, error: { kind: 'retryable', code: 'TOO_RECENT_CONVERSION_ACTION', message: 'TOO_RECENT_CONVERSION_ACTION', retryAfterMs: 6 * 3600 * 1000 } });
  });

  it('a partial failure naming no row is reported on every row rather than lost', () => {
    const out = classifyGoogle(res(200, { partialFailureError: { code: 3, message: 'odd', details: [] } }), 2);
    expect(out.results.every((r) => !r.ok && r.error.kind === 'permanent')).toBe(true);
  });

  it('400 INVALID_ARGUMENT naming no row: permanent for the whole batch, to be split', () => {
    const out = classifyGoogle(res(400, rpcError(400, 'INVALID_ARGUMENT', [{ errorCode: { requestError: 'INVALID_INPUT' }, message: 'bad' }])), 2);
    expect(out.wholeBatch).toBe(true);
    expect(out.results).toEqual([
      { ok: false, error: { kind: 'permanent', code: 'INVALID_ARGUMENT', message: 'INVALID_INPUT: bad' } },
      { ok: false, error: { kind: 'permanent', code: 'INVALID_ARGUMENT', message: 'INVALID_INPUT: bad' } },
    ]);
  });

  it('400 naming rows: those rows permanent, the rest retried without splitting', () => {
    const out = classifyGoogle(res(400, rpcError(400, 'INVALID_ARGUMENT', [rowError(0, { dateError: 'INVALID_STRING_DATE_TIME' })])), 2);
    expect(out.wholeBatch).toBe(false);
    expect(out.results[0]).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'INVALID_STRING_DATE_TIME' } });
    expect(out.results[1]).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'BATCH_REJECTED' } });
  });

  it.each([
    [401, 'UNAUTHENTICATED', 'auth'],
    [403, 'PERMISSION_DENIED', 'auth'],
    [404, 'NOT_FOUND', 'auth'],
    [500, 'INTERNAL', 'retryable'],
    [503, 'UNAVAILABLE', 'retryable'],
    [409, 'ABORTED', 'retryable'],
  ] as const)('%i %s → %s for every row', (status, rpc, kind) => {
    const out = classifyGoogle(res(status, rpcError(status, rpc)), 2);
    expect(out.wholeBatch).toBe(false);
    expect(out.results).toHaveLength(2);
    for (const r of out.results) expect(r).toMatchObject({ ok: false, error: { kind, code: rpc } });
  });

  it('403 DEVELOPER_TOKEN_NOT_APPROVED is an auth failure naming the reason', () => {
    const out = classifyGoogle(res(403, rpcError(403, 'PERMISSION_DENIED', [{ errorCode: { authorizationError: 'DEVELOPER_TOKEN_NOT_APPROVED' }, message: 'not approved' }])), 1);
    expect(out.results[0]).toEqual({ ok: false, error: { kind: 'auth', code: 'PERMISSION_DENIED', message: 'DEVELOPER_TOKEN_NOT_APPROVED: not approved' } });
  });

  it('429 RESOURCE_EXHAUSTED is retryable after Retry-After, else after the RetryInfo delay', () => {
    const withHeader = classifyGoogle(res(429, rpcError(429, 'RESOURCE_EXHAUSTED'), { 'retry-after': '30' }), 1);
    expect(withHeader.results[0]).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'RESOURCE_EXHAUSTED', retryAfterMs: 30_000 } });
    const withInfo = classifyGoogle(res(429, rpcError(429, 'RESOURCE_EXHAUSTED', [], [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' }])), 1);
    expect(withInfo.results[0]).toMatchObject({ ok: false, error: { kind: 'retryable', retryAfterMs: 12_000 } });
  });

  it('a non-JSON error body still classifies by status', () => {
    expect(classifyGoogle(res(502, '<html>bad gateway</html>'), 1).results[0]).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'HTTP_502' } });
  });
});
