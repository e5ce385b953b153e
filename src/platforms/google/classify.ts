import { authFailure, permanent, retryable, type DeliveryError } from '../../errors.js';
import { parseRetryAfter } from '../retry-after.js';
import type { ClassifiedResponse, EventResult, PlatformResponse } from '../types.js';

// Google Ads answers (./README.md): with partialFailure=true a request that was processed is HTTP 200 and
// the rows that failed are named in `partialFailureError.details[].errors[].location.fieldPathElements`
// (`{fieldName: "conversions", index: N}`). Non-200 answers are google.rpc.Status errors for the whole request.

interface GoogleAdsError {
  errorCode?: Record<string, string>;
  message?: string;
  location?: { fieldPathElements?: { fieldName?: string; index?: number }[] };
}
interface StatusDetail {
  '@type'?: string;
  errors?: GoogleAdsError[];
  retryDelay?: string;
}
interface RpcStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: StatusDetail[];
}

/** Conversion upload errors Google itself says to retry after 6 hours (ConversionUploadError enum). */
const RETRY_IN_SIX_HOURS = new Set(['TOO_RECENT_EVENT', 'TOO_RECENT_CONVERSION_ACTION', 'TOO_RECENT_CLICK']);
const SIX_HOURS_MS = 6 * 3600 * 1000;

/** The rows arrays a request can hold: click conversions or conversion adjustments. */
const ROW_FIELDS = new Set(['conversions', 'conversion_adjustments', 'conversionAdjustments']);

export function asObject(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function errorsOf(status: RpcStatus | undefined): GoogleAdsError[] {
  return (status?.details ?? []).flatMap((d) => (Array.isArray(d.errors) ? d.errors : []));
}

/** `{"conversionUploadError": "CLICK_NOT_FOUND"}` → `CLICK_NOT_FOUND`. */
function errorCode(error: GoogleAdsError): string {
  const values = Object.values(error.errorCode ?? {});
  return typeof values[0] === 'string' ? values[0] : 'UNKNOWN';
}

function rowIndex(error: GoogleAdsError): number | undefined {
  const first = error.location?.fieldPathElements?.find((e) => e.fieldName !== undefined && ROW_FIELDS.has(e.fieldName));
  return typeof first?.index === 'number' ? first.index : undefined;
}

function describe(error: GoogleAdsError): string {
  const code = errorCode(error);
  return error.message ? `${code}: ${error.message}` : code;
}

function rowError(error: GoogleAdsError): DeliveryError {
  const code = errorCode(error);
  if (RETRY_IN_SIX_HOURS.has(code)) return retryable(code, describe(error), SIX_HOURS_MS);
  return permanent(code, describe(error));
}

/** google.rpc.RetryInfo `retryDelay: "30s"` in the error details, when the header is absent. */
export function retryDelayMs(status: RpcStatus | undefined): number | undefined {
  for (const d of status?.details ?? []) {
    const m = typeof d.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay) : null;
    if (m) return Math.ceil(Number(m[1]) * 1000);
  }
  return undefined;
}

export function all(batchSize: number, result: EventResult): EventResult[] {
  return Array.from({ length: batchSize }, () => result);
}

function summary(status: RpcStatus | undefined, httpStatus: number): string {
  const errs = errorsOf(status);
  const first = errs[0];
  const what = first ? describe(first) : (status?.message ?? `HTTP ${httpStatus}`);
  return errs.length > 1 ? `${what} (+${errs.length - 1} more)` : what;
}

/**
 * Since 15 June 2026 UploadClickConversions answers this to developer tokens that had not imported offline conversions
 * before; Google points them to the Data Manager API. Nothing this destination sends can get through: it pauses.
 */
export const NOT_ALLOWLISTED = 'CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE';

function notAllowlisted(body: Record<string, unknown> | undefined, batchSize: number): ClassifiedResponse | null {
  const statuses = [asObject(body?.partialFailureError), asObject(body?.error)] as (RpcStatus | undefined)[];
  if (!statuses.some((s) => errorsOf(s).some((e) => errorCode(e) === NOT_ALLOWLISTED))) return null;
  const message = `${NOT_ALLOWLISTED}: this Google Ads developer token may no longer upload conversions through the Google Ads API — switch the destination to the Data Manager API (remove api: "google_ads" and developer_token; see the Google README)`;
  return { results: all(batchSize, { ok: false, error: authFailure(NOT_ALLOWLISTED, message) }), wholeBatch: false };
}

export function classifyGoogle(response: PlatformResponse, batchSize: number): ClassifiedResponse {
  const body = asObject(response.body);
  const refused = notAllowlisted(body, batchSize);
  if (refused) return refused;
  if (response.status >= 200 && response.status < 300) {
    const partial = asObject(body?.partialFailureError) as RpcStatus | undefined;
    const results: EventResult[] = all(batchSize, { ok: true });
    const errs = errorsOf(partial);
    if (partial && errs.length === 0 && (partial.code ?? 0) !== 0) {
      // A partial failure that names no row cannot be attributed: report it on every row rather than lose it.
      return { results: all(batchSize, { ok: false, error: permanent('PARTIAL_FAILURE', partial.message ?? 'partial failure') }), wholeBatch: false };
    }
    for (const error of errs) {
      const index = rowIndex(error);
      if (index === undefined || index < 0 || index >= batchSize) continue;
      if (results[index]?.ok === false) continue; // first error per row is the one reported
      results[index] = { ok: false, error: rowError(error) };
    }
    return { results, wholeBatch: false };
  }

  const status = asObject(body?.error) as RpcStatus | undefined;
  const rpc = status?.status;
  const message = summary(status, response.status);
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now()) ?? retryDelayMs(status);

  if (response.status === 401) return { results: all(batchSize, { ok: false, error: authFailure(rpc ?? 'UNAUTHENTICATED', message) }), wholeBatch: false };
  if (response.status === 403) return { results: all(batchSize, { ok: false, error: authFailure(rpc ?? 'PERMISSION_DENIED', message) }), wholeBatch: false };
  if (response.status === 429) return { results: all(batchSize, { ok: false, error: retryable(rpc ?? 'RESOURCE_EXHAUSTED', message, retryAfterMs) }), wholeBatch: false };
  if (response.status >= 500 || response.status === 408 || response.status === 409) {
    // 409 ABORTED/CONCURRENT_MODIFICATION and timeouts are transient by definition of google.rpc.Code.
    return { results: all(batchSize, { ok: false, error: retryable(rpc ?? `HTTP_${response.status}`, message, retryAfterMs) }), wholeBatch: false };
  }
  if (response.status === 404) {
    // Unknown customer id or a sunset API version: nothing goes through until the destination is fixed.
    return { results: all(batchSize, { ok: false, error: authFailure(rpc ?? 'NOT_FOUND', message) }), wholeBatch: false };
  }

  // 400 INVALID_ARGUMENT (and other 4xx): the request was refused as a whole and nothing was recorded.
  const code = rpc ?? `HTTP_${response.status}`;
  const named = new Map<number, GoogleAdsError>();
  for (const error of errorsOf(status)) {
    const index = rowIndex(error);
    if (index !== undefined && index >= 0 && index < batchSize && !named.has(index)) named.set(index, error);
  }
  if (named.size > 0) {
    // Google named the offending rows: they are permanent; the others were refused only because they shared
    // the request, so they are retried (alone or in a new batch) without splitting.
    const results = Array.from({ length: batchSize }, (_, i): EventResult => {
      const error = named.get(i);
      return error ? { ok: false, error: permanent(errorCode(error), describe(error)) } : { ok: false, error: retryable('BATCH_REJECTED', `not processed: ${message}`) };
    });
    return { results, wholeBatch: false };
  }
  return { results: all(batchSize, { ok: false, error: permanent(code, message) }), wholeBatch: true };
}
