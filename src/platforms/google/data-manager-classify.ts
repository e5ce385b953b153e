import { authFailure, permanent, retryable, type DeliveryError } from '../../errors.js';
import type { HashedEvent } from '../../identity/types.js';
import { parseRetryAfter } from '../retry-after.js';
import type { CheckedResult, ClassifiedResponse, EventResult, PlatformResponse, StatusCheck } from '../types.js';
import { all, asObject, retryDelayMs } from './classify.js';
import { dataManagerDestinations } from './data-manager.js';
import type { GoogleSettings } from './settings.js';

// Data Manager API answers (https://developers.google.com/data-manager/api/devguides/concepts/understand-errors):
// a fast-fail model — "if a request contains structural errors or a record fails validation for a required field,
// the entire request fails and the API doesn't process any of the data in that request" — with the google.rpc.Status
// error model: `{error: {code, message, status, details: [ErrorInfo {reason}, BadRequest {fieldViolations}]}}`.
// A 200 carries only `requestId`: the events are processed later and their outcome is read with
// requestStatus.retrieve (classifyRequestStatus below).

interface FieldViolation {
  field?: string;
  description?: string;
  reason?: string;
}

interface RpcStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<{ '@type'?: string; reason?: string; fieldViolations?: FieldViolation[]; retryDelay?: string }>;
}

/**
 * ErrorReason values (https://developers.google.com/data-manager/api/reference/rest/v1/ErrorReason) that only the
 * operator can fix — the account, the conversion action, the terms: the destination pauses until then.
 */
const CONFIGURATION_REASONS = new Set([
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'INVALID_DESTINATION',
  'INVALID_CONVERSION_ACTION_ID',
  'INVALID_CONVERSION_ACTION_TYPE',
  'TERMS_AND_CONDITIONS_NOT_SIGNED',
  'DIFFERENT_LOGIN_ACCOUNTS_NOT_ALLOWED_FOR_DATA_PARTNER',
]);

function isConfigurationReason(reason: string): boolean {
  return CONFIGURATION_REASONS.has(reason) || reason.startsWith('DESTINATION_ACCOUNT_');
}

/** `events[3].user_data…` or `events.events[3]…` → 3. */
const EVENT_FIELD = /(?:^|\.)events\[(\d+)\]/;
const DESTINATION_FIELD = /(?:^|\.)destinations(?:\[\d+\])?(?:\.|$)/;

function violationsOf(status: RpcStatus | undefined): FieldViolation[] {
  return (status?.details ?? []).flatMap((d) => (Array.isArray(d.fieldViolations) ? d.fieldViolations : []));
}

/** The ErrorInfo reason, else the canonical status (`INVALID_ARGUMENT`). */
function reasonOf(status: RpcStatus | undefined, fallback: string): string {
  for (const d of status?.details ?? []) if (typeof d.reason === 'string' && d.reason !== '') return d.reason;
  return status?.status ?? fallback;
}

function describeViolation(v: FieldViolation): string {
  return [v.reason, v.description, v.field ? `(${v.field})` : undefined].filter(Boolean).join(': ').replace(': (', ' (');
}

export function classifyDataManager(response: PlatformResponse, batchSize: number): ClassifiedResponse {
  if (response.status >= 200 && response.status < 300) return { results: all(batchSize, { ok: true }), wholeBatch: false };

  const status = asObject(asObject(response.body)?.error) as RpcStatus | undefined;
  const reason = reasonOf(status, `HTTP_${response.status}`);
  const message = status?.message ? `${reason}: ${status.message}` : reason;
  const every = (error: DeliveryError): ClassifiedResponse => ({ results: all(batchSize, { ok: false, error }), wholeBatch: false });

  if (response.status === 401) return every(authFailure(reason, message));
  if (response.status === 403 || response.status === 404 || isConfigurationReason(reason)) return every(authFailure(reason, message));
  if (response.status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now()) ?? retryDelayMs(status);
    return every(retryable(reason, message, retryAfterMs));
  }
  if (response.status >= 500 || response.status === 408 || response.status === 409 || response.status === 499) {
    return every(retryable(reason, message, parseRetryAfter(response.headers['retry-after'], Date.now()) ?? retryDelayMs(status)));
  }

  // 400 INVALID_ARGUMENT (and other 4xx): fast fail, nothing was processed.
  const violations = violationsOf(status);
  const destinationViolation = violations.find((v) => v.field !== undefined && DESTINATION_FIELD.test(v.field) && !EVENT_FIELD.test(v.field));
  if (destinationViolation) return every(authFailure(destinationViolation.reason ?? reason, `destination misconfigured: ${describeViolation(destinationViolation)}`));
  const named = new Map<number, FieldViolation>();
  for (const v of violations) {
    const m = v.field ? EVENT_FIELD.exec(v.field) : null;
    const index = m ? Number(m[1]) : -1;
    if (index >= 0 && index < batchSize && !named.has(index)) named.set(index, v);
  }
  if (named.size > 0) {
    // Google named the invalid events: they are rejected with its reason; the others were refused only because
    // they shared the request, so they are retried without them.
    const results = Array.from({ length: batchSize }, (_, i): EventResult => {
      const v = named.get(i);
      return v ? { ok: false, error: permanent(v.reason ?? reason, describeViolation(v)) } : { ok: false, error: retryable('BATCH_REJECTED', `not processed: ${message}`) };
    });
    return { results, wholeBatch: false };
  }
  return { results: all(batchSize, { ok: false, error: permanent(reason, message) }), wholeBatch: true };
}

/** The `requestId` of an accepted ingest answer; none for validateOnly ("Only errors are returned, not results"). */
export function requestIdOf(response: PlatformResponse): string | null {
  const id = asObject(response.body)?.requestId;
  return typeof id === 'string' && id !== '' ? id : null;
}

interface StatusPerDestination {
  destination?: { productDestinationId?: string; reference?: string };
  requestStatus?: string;
  errorInfo?: { errorCounts?: Array<{ reason?: string; recordCount?: string | number }> };
  eventsIngestionStatus?: { recordCount?: string | number };
}

/**
 * "A conversion with the same order id and conversion action combination was already uploaded": the event is in
 * Google already (a resend after a crash, a replay) — not a failure of this delivery.
 */
const ALREADY_RECORDED = 'PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID';

/**
 * The error codes classifyRequestStatus gives a row Google accepted in a request and refused while processing it
 * (a ProcessingErrorReason, or one of the two summaries below): the upload diagnostics tell them apart from rows
 * the request itself was refused for (src/diagnostics/quality/pull.ts).
 */
export function isProcessingRejection(errorCode: string): boolean {
  return errorCode.startsWith('PROCESSING_ERROR_REASON_') || errorCode === PROCESSING_FAILED || errorCode === PROCESSING_ERRORS;
}
const PROCESSING_FAILED = 'PROCESSING_FAILED';
const PROCESSING_ERRORS = 'PROCESSING_ERRORS';

function errorCounts(s: StatusPerDestination): { reason: string; count: number }[] {
  return (s.errorInfo?.errorCounts ?? []).map((c) => ({ reason: typeof c.reason === 'string' ? c.reason : 'PROCESSING_ERROR_REASON_UNSPECIFIED', count: Number(c.recordCount ?? 0) || 0 }));
}

function countsText(counts: { reason: string; count: number }[]): string {
  return counts.map((c) => `${c.reason} ×${c.count}`).join(', ');
}

/**
 * requestStatus.retrieve (https://developers.google.com/data-manager/api/reference/rest/v1/requestStatus/retrieve):
 * one `requestStatusPerDestination` per destination of the original request, in its order, each SUCCESS,
 * PROCESSING, FAILED or PARTIAL_SUCCESS, with `errorInfo.errorCounts` (a ProcessingErrorReason and how many
 * records). Google counts failures per reason but does not say which events failed, so:
 * - FAILED: every event of that destination is rejected with the reasons;
 * - PARTIAL_SUCCESS: when the failures account for every event of the destination, all are rejected; otherwise
 *   they stay delivered, with a note naming the reasons and counts (which ones failed is unknowable);
 * - a duplicate transactionId is not a failure: Google has the conversion already.
 */
export function classifyRequestStatus(response: PlatformResponse, events: HashedEvent[], settings: GoogleSettings): StatusCheck {
  if (response.status < 200 || response.status >= 300) {
    const status = asObject(asObject(response.body)?.error) as RpcStatus | undefined;
    const reason = reasonOf(status, `HTTP_${response.status}`);
    return { state: 'unknown', error: retryable(reason, status?.message ? `requestStatus: ${reason}: ${status.message}` : `requestStatus: ${reason}`) };
  }
  const list = asObject(response.body)?.requestStatusPerDestination;
  const statuses = Array.isArray(list) ? (list as StatusPerDestination[]) : [];
  const destinations = dataManagerDestinations(events, settings);
  if (statuses.length !== destinations.length) {
    return { state: 'unknown', error: retryable('STATUS_UNREADABLE', `requestStatus answered ${statuses.length} destinations for ${destinations.length}`) };
  }
  const byAction = new Map<string, StatusPerDestination>();
  destinations.forEach((d, i) => byAction.set(d.productDestinationId, statuses[i]!));
  if (statuses.some((s) => s.requestStatus === 'PROCESSING' || s.requestStatus === undefined || s.requestStatus === 'REQUEST_STATUS_UNKNOWN')) return { state: 'processing' };

  const perAction = new Map<string, number>();
  for (const e of events) {
    const a = settings.conversion_actions[e.event_name];
    if (a !== undefined) perAction.set(a, (perAction.get(a) ?? 0) + 1);
  }
  const results = events.map((e): CheckedResult => {
    const action = settings.conversion_actions[e.event_name];
    const s = action === undefined ? undefined : byAction.get(action);
    if (!s || s.requestStatus === 'SUCCESS') return { ok: true };
    const all = errorCounts(s);
    const counts = all.filter((c) => c.reason !== ALREADY_RECORDED);
    const failed = counts.reduce((n, c) => n + c.count, 0);
    if (failed === 0) return all.length > 0 ? { ok: true, note: `requestStatus ${s.requestStatus ?? 'unknown'}: ${countsText(all)} — already recorded by Google` } : { ok: true };
    const reason = counts.length === 1 ? counts[0]!.reason : counts.length === 0 ? PROCESSING_FAILED : PROCESSING_ERRORS;
    const detail = counts.length > 0 ? countsText(counts) : 'no reason given';
    const events = perAction.get(action!) ?? 0;
    if (s.requestStatus === 'FAILED' || (s.requestStatus === 'PARTIAL_SUCCESS' && failed >= events)) {
      return { ok: false, error: permanent(reason, `Google processed the request and refused it (${s.requestStatus}): ${detail}`) };
    }
    return { ok: true, note: `requestStatus ${s.requestStatus ?? 'unknown'}: ${failed} of ${events} events of this conversion action failed (${detail}); Google does not say which` };
  });
  return { state: 'done', results };
}
