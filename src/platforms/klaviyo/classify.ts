import { authFailure, permanent, retryable, type DeliveryError } from '../../errors.js';
import { parseRetryAfter } from '../retry-after.js';
import type { ClassifiedResponse, PlatformResponse } from '../types.js';

// Klaviyo answers (https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling): 202 Accepted with an empty
// body; errors are JSON:API `{"errors":[{"id","status","code","title","detail","source":{"pointer"}}]}`.

interface JsonApiError {
  code?: string;
  title?: string;
  detail?: string;
  source?: { pointer?: string };
}

/** Klaviyo's `detail` may quote the offending value (an email, a phone): never let it reach a log or the store. */
export function scrubDetail(text: string): string {
  return text
    .replace(/[^\s'"<>()]+@[^\s'"<>()]+/g, '[email]')
    .replace(/\+?\d[\d\s().-]{5,}\d/g, '[number]');
}

function firstError(body: unknown): JsonApiError | undefined {
  const errors = body && typeof body === 'object' ? (body as { errors?: unknown }).errors : undefined;
  return Array.isArray(errors) && errors[0] && typeof errors[0] === 'object' ? (errors[0] as JsonApiError) : undefined;
}

function describe(error: JsonApiError | undefined, status: number): string {
  if (!error) return `HTTP ${status}`;
  const what = error.detail ? scrubDetail(error.detail) : (error.title ?? `HTTP ${status}`);
  return error.source?.pointer ? `${what} (at ${error.source.pointer})` : what;
}

function one(error: DeliveryError): ClassifiedResponse {
  return { results: [{ ok: false, error }], wholeBatch: false };
}

export function classifyKlaviyo(response: PlatformResponse, batchSize: number): ClassifiedResponse {
  if (response.status >= 200 && response.status < 300) {
    return { results: Array.from({ length: batchSize }, () => ({ ok: true as const })), wholeBatch: false };
  }
  const error = firstError(response.body);
  const code = error?.code ?? `HTTP_${response.status}`;
  const message = describe(error, response.status);
  let result: ClassifiedResponse;
  if (response.status === 401 || response.status === 403) result = one(authFailure(code, message));
  else if (response.status === 429 || response.status === 408 || response.status >= 500) {
    result = one(retryable(code, message, parseRetryAfter(response.headers['retry-after'], Date.now())));
  } else result = one(permanent(code, message));
  // Klaviyo takes one event per request; should a caller ever pass more, every event shares the answer.
  if (batchSize !== 1) result.results = Array.from({ length: batchSize }, () => result.results[0]!);
  return result;
}
