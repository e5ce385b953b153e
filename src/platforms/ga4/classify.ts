import { authFailure, permanent, retryable, type DeliveryError } from '../../errors.js';
import { parseRetryAfter } from '../retry-after.js';
import type { ClassifiedResponse, EventResult, PlatformResponse } from '../types.js';

// GA4's answer → one result per event. /mp/collect answers 2xx whenever the HTTP request arrived, also for a payload
// it will drop (Measurement Protocol reference "Transport"): a 2xx there is "received", nothing more — what it would
// drop is caught before sending (lint.ts). The validation server (/debug/mp/collect, test mode) answers 200 with
// `validationMessages` (https://developers.google.com/analytics/devguides/collection/protocol/ga4/validating-events):
// any message means the event is invalid. The reference says not to retry a non-2xx answer: it is a verdict on the
// request, except rate limiting and server errors.

export interface ValidationMessage {
  fieldPath?: string;
  description?: string;
  validationCode?: string;
}

export function validationMessages(body: unknown): ValidationMessage[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const messages = (body as { validationMessages?: unknown }).validationMessages;
  return Array.isArray(messages) ? (messages.filter((m) => typeof m === 'object' && m !== null) as ValidationMessage[]) : undefined;
}

export function formatValidationMessages(messages: readonly ValidationMessage[]): string {
  return messages
    .slice(0, 5)
    .map((m) => `${m.validationCode ?? 'INVALID'} ${m.fieldPath ?? ''}: ${(m.description ?? '').slice(0, 200)}`.replace(' :', ':'))
    .join('; ');
}

export function classifyGa4(response: PlatformResponse, batchSize: number, nowMs = Date.now()): ClassifiedResponse {
  const { status } = response;
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], nowMs);
  if (status === 429) return whole(batchSize, retryable('rate_limited', 'GA4 answered HTTP 429', retryAfterMs));
  if (status >= 500) return whole(batchSize, retryable(`http_${status}`, `GA4 answered HTTP ${status}`, retryAfterMs));
  if (status === 401 || status === 403) return whole(batchSize, authFailure(`http_${status}`, `GA4 answered HTTP ${status}: check measurement_id and api_secret`));
  if (status >= 400) return whole(batchSize, permanent(`http_${status}`, `GA4 answered HTTP ${status}`));
  if (status < 200 || status >= 300) return whole(batchSize, retryable(`http_${status}`, `GA4 answered HTTP ${status}`, retryAfterMs));
  const messages = validationMessages(response.body);
  if (messages && messages.length > 0) return whole(batchSize, permanent('ga4_validation', `GA4 validation: ${formatValidationMessages(messages)}`));
  return whole(batchSize, undefined);
}

function whole(n: number, error: DeliveryError | undefined): ClassifiedResponse {
  const result: EventResult = error ? { ok: false, error } : { ok: true };
  return { results: new Array<EventResult>(n).fill(result), wholeBatch: false };
}
