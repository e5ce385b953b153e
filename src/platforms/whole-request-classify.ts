import { authFailure, permanent, retryable, type DeliveryError } from '../errors.js';
import { parseRetryAfter } from './retry-after.js';
import type { ClassifiedResponse, EventResult, PlatformResponse } from './types.js';

// For platforms that answer for a request as a whole and never say which event of a batch was at fault
// (Snapchat, Microsoft UET, Reddit): 2xx accepts every event; a 400 refuses the batch and, when it held more
// than one event, asks the worker to split it to find the bad one.

export interface WholeRequestAnswer {
  /** Error code for a 400 (e.g. `snapchat_invalid`). */
  invalidCode: string;
  /** `<Platform> answered HTTP <status>` plus what the platform said, never a value from the request. */
  describe(status: number, body: unknown): string;
}

export function classifyWholeRequest(response: PlatformResponse, batchSize: number, answer: WholeRequestAnswer, nowMs = Date.now()): ClassifiedResponse {
  const { status } = response;
  if (status >= 200 && status < 300) return whole(batchSize, undefined);
  const message = answer.describe(status, response.body);
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], nowMs);
  if (status === 429) return whole(batchSize, retryable('rate_limited', message, retryAfterMs));
  if (status >= 500 || status === 408) return whole(batchSize, retryable(`http_${status}`, message, retryAfterMs));
  if (status === 401 || status === 403) return whole(batchSize, authFailure(`http_${status}`, message));
  if (status === 400) return whole(batchSize, permanent(answer.invalidCode, message), batchSize > 1);
  return whole(batchSize, permanent(`http_${status}`, message));
}

/** `: <text>` of at most `max` characters when `text` is a string, else ''. */
export function said(text: unknown, max = 200): string {
  return typeof text === 'string' ? `: ${text.slice(0, max)}` : '';
}

function whole(n: number, error: DeliveryError | undefined, wholeBatch = false): ClassifiedResponse {
  const result: EventResult = error ? { ok: false, error } : { ok: true };
  return { results: new Array<EventResult>(n).fill(result), wholeBatch };
}
