import { authFailure, permanent, retryable, type DeliveryError } from '../../errors.js';
import { parseRetryAfter } from '../retry-after.js';
import type { ClassifiedResponse, EventResult, PlatformResponse } from '../types.js';

// Pinterest's answer → one result per event (./README.md; developers.pinterest.com/docs/api/v5/events-create). 200
// and 422 carry `events[i]` in request order with status processed|failed; other statuses speak for the whole
// request.

interface PinterestEventResult {
  status?: unknown;
  error_message?: unknown;
}

export function classifyPinterest(response: PlatformResponse, batchSize: number, nowMs = Date.now()): ClassifiedResponse {
  const { status } = response;
  const body = typeof response.body === 'object' && response.body !== null ? (response.body as { events?: unknown; code?: unknown; message?: unknown }) : undefined;
  const message = describe(status, body);

  if (status >= 200 && status < 300) {
    return perEvent(body?.events, batchSize) ?? whole(batchSize, undefined);
  }
  if (status === 422) {
    // DetailedError "not all events processed" (code, message, details): the per-event statuses are in `details`,
    // so only the failed events are refused; a 422 that names none is split to find out.
    return perEvent(detailEvents(response.body), batchSize) ?? whole(batchSize, permanent('pinterest_422', message), batchSize > 1);
  }
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], nowMs);
  if (status === 429) return whole(batchSize, retryable('rate_limited', message, retryAfterMs));
  if (status >= 500 || status === 408) return whole(batchSize, retryable(`http_${status}`, message, retryAfterMs));
  if (status === 401 || status === 403) return whole(batchSize, authFailure(`http_${status}`, message));
  if (status === 400) return whole(batchSize, permanent('http_400', message), batchSize > 1);
  return whole(batchSize, permanent(`http_${status}`, message));
}

/**
 * The per-event statuses of a 422 DetailedError: `details` holds the ConversionApiResponse (`{events: […]}`), or
 * its events list itself; a body with a top-level `events` is read the same way.
 */
function detailEvents(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return undefined;
  const { events, details } = body as { events?: unknown; details?: unknown };
  if (Array.isArray(events)) return events;
  if (Array.isArray(details)) {
    const [first] = details as unknown[];
    if (details.length === 1 && typeof first === 'object' && first !== null && Array.isArray((first as { events?: unknown }).events)) return (first as { events: unknown }).events;
    return details;
  }
  return typeof details === 'object' && details !== null ? (details as { events?: unknown }).events : undefined;
}

function perEvent(events: unknown, batchSize: number): ClassifiedResponse | undefined {
  if (!Array.isArray(events) || events.length !== batchSize) return undefined;
  const results = new Array<EventResult>(batchSize);
  for (let i = 0; i < batchSize; i++) {
    const e = events[i] as PinterestEventResult | null;
    if (e && e.status === 'failed') {
      const detail = typeof e.error_message === 'string' ? `: ${e.error_message.slice(0, 200)}` : '';
      results[i] = { ok: false, error: permanent('pinterest_event_failed', `Pinterest refused the event${detail}`) };
    } else {
      results[i] = { ok: true };
    }
  }
  return { results, wholeBatch: false };
}

function describe(status: number, body: { code?: unknown; message?: unknown } | undefined): string {
  const code = typeof body?.code === 'number' ? ` code ${body.code}` : '';
  const text = typeof body?.message === 'string' ? `: ${body.message.slice(0, 200)}` : '';
  return `Pinterest answered HTTP ${status}${code}${text}`;
}

function whole(n: number, error: DeliveryError | undefined, wholeBatch = false): ClassifiedResponse {
  const result: EventResult = error ? { ok: false, error } : { ok: true };
  return { results: new Array<EventResult>(n).fill(result), wholeBatch };
}
