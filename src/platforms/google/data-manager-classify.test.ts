import { describe, expect, it } from 'vitest';
import type { PlatformResponse } from '../types.js';
import { classifyDataManager, classifyRequestStatus, requestIdOf } from './data-manager-classify.js';
import { google } from './index.js';
import { googleSettingsSchema } from './settings.js';
import { hashedPurchase } from './testdata/hashed-purchase.js';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): PlatformResponse => ({ status, headers, body });
const rpc = (code: number, status: string, reason: string, message: string, violations?: { field: string; description: string; reason?: string }[]) => ({
  error: {
    code,
    message,
    status,
    details: [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'datamanager.googleapis.com' },
      ...(violations ? [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }] : []),
    ],
  },
});
const settings = googleSettingsSchema.parse({ id: 'g', platform: 'google', customer_id: '1234567890', conversion_actions: { purchase: '987', lead: '55' }, access_token: 't' });

describe('classifyDataManager (events:ingest answers)', () => {
  it('a 200 accepts every event and carries the requestId to check; validateOnly answers none', () => {
    expect(classifyDataManager(answer(200, { requestId: 'r-1' }), 2)).toEqual({ results: [{ ok: true }, { ok: true }], wholeBatch: false });
    expect(requestIdOf(answer(200, { requestId: 'r-1' }))).toBe('r-1');
    expect(requestIdOf(answer(200, {}))).toBeNull();
  });

  it('rejects the events Google names with its reason and retries the others (fast fail: nothing was processed)', () => {
    const body = rpc(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'Request contains an invalid argument.', [
      { field: 'events[1].currency', description: 'The currency code is not supported.', reason: 'INVALID_CURRENCY_CODE' },
    ]);
    const { results, wholeBatch } = classifyDataManager(answer(400, body), 3);
    expect(wholeBatch).toBe(false);
    expect(results[1]).toEqual({ ok: false, error: { kind: 'permanent', code: 'INVALID_CURRENCY_CODE', message: 'INVALID_CURRENCY_CODE: The currency code is not supported. (events[1].currency)' } });
    expect(results[0]).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'BATCH_REJECTED' } });
  });

  it('a 400 naming no event is a whole-batch refusal the worker splits', () => {
    expect(classifyDataManager(answer(400, rpc(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'bad')), 2).wholeBatch).toBe(true);
  });

  it('auth and account problems pause the destination; quota backs off after Retry-After or RetryInfo', () => {
    expect(classifyDataManager(answer(401, rpc(401, 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'no')), 1).results[0]).toMatchObject({ error: { kind: 'auth' } });
    expect(classifyDataManager(answer(403, rpc(403, 'PERMISSION_DENIED', 'PERMISSION_DENIED', 'no')), 1).results[0]).toMatchObject({ error: { kind: 'auth', code: 'PERMISSION_DENIED' } });
    const badAction = rpc(400, 'INVALID_ARGUMENT', 'INVALID_CONVERSION_ACTION_ID', 'bad', [{ field: 'destinations[0].product_destination_id', description: 'The conversion action ID is invalid.', reason: 'INVALID_CONVERSION_ACTION_ID' }]);
    expect(classifyDataManager(answer(400, badAction), 1).results[0]).toMatchObject({ error: { kind: 'auth', code: 'INVALID_CONVERSION_ACTION_ID' } });
    expect(classifyDataManager(answer(429, rpc(429, 'RESOURCE_EXHAUSTED', 'RESOURCE_EXHAUSTED', 'slow down'), { 'retry-after': '7' }), 1).results[0]).toMatchObject({ error: { kind: 'retryable', retryAfterMs: 7000 } });
    expect(classifyDataManager(answer(503, rpc(503, 'UNAVAILABLE', 'INTERNAL_ERROR', 'down')), 1).results[0]).toMatchObject({ error: { kind: 'retryable' } });
  });

  it('the platform picks the Data Manager classifier for its answers and the Google Ads one for GoogleAdsFailure answers', () => {
    expect(google.classify(answer(400, rpc(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'x', [{ field: 'events[0]', description: 'd', reason: 'INVALID_EVENT' }])), 1).results[0]).toMatchObject({ error: { code: 'INVALID_EVENT' } });
    const ads = { error: { code: 403, status: 'PERMISSION_DENIED', details: [{ '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure', errors: [{ errorCode: { authorizationError: 'CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE' }, message: 'x' }] }] } };
    expect(google.classify(answer(403, ads), 1).results[0]).toMatchObject({ error: { kind: 'auth', code: 'CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE', message: expect.stringMatching(/switch the destination to the Data Manager API/) } });
  });
});

describe('classifyRequestStatus (requestStatus.retrieve)', () => {
  const purchase = hashedPurchase();
  const lead = hashedPurchase({ event_id: 'lead_1', event_name: 'lead' });
  const dest = (id: string) => ({ destination: { productDestinationId: id } });

  it('waits while any destination is processing', () => {
    const body = { requestStatusPerDestination: [{ ...dest('987'), requestStatus: 'PROCESSING' }, { ...dest('55'), requestStatus: 'SUCCESS' }] };
    expect(classifyRequestStatus(answer(200, body), [purchase, lead], settings)).toEqual({ state: 'processing' });
  });

  it('rejects the events of a FAILED destination with the processing reason, per destination', () => {
    const body = {
      requestStatusPerDestination: [
        { ...dest('987'), requestStatus: 'FAILED', errorInfo: { errorCounts: [{ reason: 'PROCESSING_ERROR_REASON_INVALID_GCLID', recordCount: '1' }] } },
        { ...dest('55'), requestStatus: 'SUCCESS' },
      ],
    };
    const check = classifyRequestStatus(answer(200, body), [purchase, lead], settings);
    expect(check).toEqual({
      state: 'done',
      results: [
        { ok: false, error: { kind: 'permanent', code: 'PROCESSING_ERROR_REASON_INVALID_GCLID', message: 'Google processed the request and refused it (FAILED): PROCESSING_ERROR_REASON_INVALID_GCLID ×1' } },
        { ok: true },
      ],
    });
  });

  it('keeps a PARTIAL_SUCCESS delivered with a note when Google does not say which events failed, and rejects when all did', () => {
    const partial = { requestStatusPerDestination: [{ ...dest('987'), requestStatus: 'PARTIAL_SUCCESS', errorInfo: { errorCounts: [{ reason: 'PROCESSING_ERROR_REASON_EVENT_TOO_OLD', recordCount: '1' }] } }] };
    const two = [purchase, hashedPurchase({ event_id: 'order_2' })];
    const check = classifyRequestStatus(answer(200, partial), two, settings);
    expect(check).toMatchObject({ state: 'done', results: [{ ok: true, note: expect.stringMatching(/1 of 2 events .*EVENT_TOO_OLD ×1.*does not say which/) }, { ok: true }] });
    const allFailed = { requestStatusPerDestination: [{ ...dest('987'), requestStatus: 'PARTIAL_SUCCESS', errorInfo: { errorCounts: [{ reason: 'A', recordCount: '1' }, { reason: 'B', recordCount: 1 }] } }] };
    expect(classifyRequestStatus(answer(200, allFailed), two, settings)).toMatchObject({ state: 'done', results: [{ ok: false, error: { code: 'PROCESSING_ERRORS' } }, { ok: false }] });
  });

  it('a duplicate transaction id is Google having the conversion already, not a failure', () => {
    const body = { requestStatusPerDestination: [{ ...dest('987'), requestStatus: 'FAILED', errorInfo: { errorCounts: [{ reason: 'PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID', recordCount: '1' }] } }] };
    expect(classifyRequestStatus(answer(200, body), [purchase], settings)).toMatchObject({ state: 'done', results: [{ ok: true, note: expect.stringMatching(/already recorded/) }] });
  });

  it('an unreadable or failed check is asked again later', () => {
    expect(classifyRequestStatus(answer(200, { requestStatusPerDestination: [] }), [purchase], settings)).toMatchObject({ state: 'unknown', error: { kind: 'retryable' } });
    expect(classifyRequestStatus(answer(503, rpc(503, 'UNAVAILABLE', 'INTERNAL_ERROR', 'down')), [purchase], settings)).toMatchObject({ state: 'unknown', error: { code: 'INTERNAL_ERROR' } });
  });
});
