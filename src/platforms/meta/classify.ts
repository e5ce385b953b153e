import { authFailure, permanent, retryable, type DeliveryError } from '../../errors.js';
import { parseRetryAfter } from '../retry-after.js';
import type { ClassifiedResponse, EventResult, PlatformResponse } from '../types.js';

// Meta's answer → one result per event (./README.md "Responses"). Meta answers for the request as a whole: success is
// `{events_received}`, failure an HTTP 4xx/5xx with `error{code, error_subcode, is_transient}`.

/** Throttling codes: app (4), user (17), ad account (80003) rate limits, and 341 app limit reached. */
const RATE_LIMIT_CODES = new Set([4, 17, 341, 80003]);
/** Temporary on Meta's side: unknown error (1), service unavailable (2), temporarily blocked (368), 5000, 21009. */
const TRANSIENT_CODES = new Set([1, 2, 368, 5000, 21009]);
/** The token is invalid/expired (190, subcodes 460/463…) or the session is gone (102): the operator must act. */
const AUTH_CODES = new Set([102, 190]);
/** Refusals about the request itself rather than one event (capability 3, 105 too many params): a split only repeats them. */
function isRequestLevel(code: number): boolean {
  return code === 3 || code === 105;
}
/**
 * The destination is misconfigured, not the events: 10 (application does not have permission), 200–299 (a
 * permission the token lacks; 294 ads_management) and 100 with subcode 33 ("Unsupported post request. Object with
 * ID … does not exist, cannot be loaded due to missing permissions, or does not support this operation": a wrong
 * pixel id, or a token without access to it). Graph API error reference:
 * developers.facebook.com/docs/graph-api/guides/error-handling. Nothing will go through until the operator fixes
 * the destination, so it pauses like an auth failure instead of dead-lettering every event one by one.
 */
function configurationProblem(code: number, subcode: number | undefined): string | undefined {
  if (code === INVALID_PARAMETER && subcode === 33) {
    return 'the pixel_id does not exist, or the access_token has no access to it: check pixel_id and that the token (a system user of the business owning the pixel) was generated for this pixel in Events Manager';
  }
  if (code === 10 || (code >= 200 && code <= 299)) {
    return 'the access_token lacks a permission this pixel needs: generate it again from Events Manager → the pixel → Settings → Conversions API, or give its system user access to the pixel';
  }
  return undefined;
}
/** 100 invalid parameter (with its 2804xxx subcodes: too old, bad value, …): caused by an event in the batch. */
const INVALID_PARAMETER = 100;

interface MetaErrorBody {
  code?: unknown;
  error_subcode?: unknown;
  is_transient?: unknown;
  message?: unknown;
  error_user_title?: unknown;
}

export function classifyMeta(response: PlatformResponse, batchSize: number, nowMs = Date.now()): ClassifiedResponse {
  const { status } = response;
  if (status >= 200 && status < 300) return { results: fill(batchSize, { ok: true }), wholeBatch: false };

  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], nowMs);
  const err = readError(response.body);
  const code = typeof err?.code === 'number' ? err.code : undefined;
  const subcode = typeof err?.error_subcode === 'number' ? err.error_subcode : undefined;
  const tag = code === undefined ? `http_${status}` : subcode === undefined ? `meta_${code}` : `meta_${code}_${subcode}`;
  const message = describe(status, err);

  let error: DeliveryError;
  let wholeBatch = false;
  const fix = code === undefined ? undefined : configurationProblem(code, subcode);
  if (fix !== undefined) {
    error = authFailure(tag, `${message} — ${fix}`);
  } else if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    error = retryable(status === 429 && code === undefined ? 'rate_limited' : tag, message, retryAfterMs);
  } else if (code !== undefined && AUTH_CODES.has(code)) {
    error = authFailure(tag, message);
  } else if (code !== undefined && TRANSIENT_CODES.has(code)) {
    error = retryable(tag, message, retryAfterMs);
  } else if (err?.is_transient === true || status >= 500) {
    error = retryable(tag, message, retryAfterMs);
  } else if (code === INVALID_PARAMETER) {
    error = permanent(tag, message);
    // One bad event refuses the whole request without naming itself: the worker splits to find it.
    wholeBatch = batchSize > 1;
  } else if (code !== undefined && isRequestLevel(code)) {
    error = permanent(tag, message);
  } else if (code === undefined && (status === 401 || status === 403)) {
    error = authFailure(tag, message);
  } else if (code === undefined && status === 400) {
    error = permanent(tag, message);
    wholeBatch = batchSize > 1;
  } else {
    // Unknown codes are retried (RudderStack's Meta handler does the same): a code we have never seen is
    // more likely new throttling than a verdict on the event.
    error = retryable(tag, message, retryAfterMs);
  }
  return { results: fill(batchSize, { ok: false, error }), wholeBatch };
}

function readError(body: unknown): MetaErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  return typeof error === 'object' && error !== null ? (error as MetaErrorBody) : undefined;
}

/** Meta's own wording (message + title); never error_user_msg, which can quote the offending value. */
function describe(status: number, err: MetaErrorBody | undefined): string {
  if (!err) return `Meta answered HTTP ${status}`;
  const parts = [`Meta answered HTTP ${status}`];
  if (typeof err.code === 'number') parts.push(`code ${err.code}${typeof err.error_subcode === 'number' ? `/${err.error_subcode}` : ''}`);
  if (typeof err.message === 'string') parts.push(err.message.slice(0, 200));
  if (typeof err.error_user_title === 'string') parts.push(err.error_user_title.slice(0, 200));
  return parts.join(': ');
}

function fill(n: number, result: EventResult): EventResult[] {
  return new Array<EventResult>(n).fill(result);
}
