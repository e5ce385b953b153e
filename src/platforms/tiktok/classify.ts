import { authFailure, permanent, retryable, type DeliveryError } from '../../errors.js';
import { parseRetryAfter } from '../retry-after.js';
import type { ClassifiedResponse, EventResult, PlatformResponse } from '../types.js';

// TikTok's answer → one result per event (./README.md "Responses"). Errors mostly come as HTTP 200 with a non-zero
// `code`; the HTTP status only matters for throttling, outages and gateways in front of the API.

const OK = 0;
/**
 * Partial success: TikTok took the request but not every event in it. The events it refused are named in the
 * message with the same `data.N.` / `Batch.N.` paths as a 40002; only those are failed, the others are delivered.
 */
const PARTIAL_OK = 20001;
/**
 * No permission on the pixel (40001, ./README.md "Responses"); the Marketing API's access token empty (40104) or
 * incorrect/revoked (40105), which TikTok answers before looking at the events.
 */
const AUTH_CODES = new Set([40001, 40104, 40105]);
/** Invalid parameter, e.g. `Batch.0.properties.contents.0.content_id: Not a valid string`. */
const INVALID_PARAMETER = 40002;
/** Rate limited (40100) and the Marketing API's generic too-many-requests (42900). */
const RATE_LIMIT_CODES = new Set([40100, 42900]);

export function classifyTikTok(response: PlatformResponse, batchSize: number, nowMs = Date.now()): ClassifiedResponse {
  const { status } = response;
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], nowMs);
  if (status === 429) return whole(batchSize, retryable('rate_limited', 'TikTok answered HTTP 429', retryAfterMs));
  if (status >= 500) return whole(batchSize, retryable(`http_${status}`, `TikTok answered HTTP ${status}`, retryAfterMs));
  if (status === 401 || status === 403) return whole(batchSize, authFailure(`http_${status}`, `TikTok answered HTTP ${status}`));

  const body = typeof response.body === 'object' && response.body !== null ? (response.body as { code?: unknown; message?: unknown }) : undefined;
  const code = typeof body?.code === 'number' ? body.code : undefined;
  if (code === undefined) {
    // No TikTok envelope: a proxy or an error page. A 400 is still a verdict on what we sent.
    if (status === 400) return whole(batchSize, permanent('http_400', 'TikTok answered HTTP 400'), batchSize > 1);
    return whole(batchSize, retryable(`http_${status}`, `TikTok answered HTTP ${status} without a result code`, retryAfterMs));
  }
  if (code === OK) return whole(batchSize, undefined);

  const rawMessage = typeof body?.message === 'string' ? body.message : '';
  const message = `TikTok code ${code}${rawMessage ? `: ${rawMessage.slice(0, 200)}` : ''}`;
  const tag = `tiktok_${code}`;
  if (code === PARTIAL_OK) return partialSuccess(batchSize, tag, rawMessage);
  if (AUTH_CODES.has(code)) return whole(batchSize, authFailure(tag, message));
  if (RATE_LIMIT_CODES.has(code)) return whole(batchSize, retryable(tag, message, retryAfterMs));
  if (code === INVALID_PARAMETER) return invalidParameter(batchSize, tag, message, rawMessage);
  // Unknown codes are retried: a code we have never seen is more likely an outage than a verdict on the event.
  return whole(batchSize, retryable(tag, message, retryAfterMs));
}

/**
 * TikTok refuses the whole batch for one bad event (Hightouch: "TikTok fails an entire batch if it detects an
 * erroneous row"). When its message names the event (`Batch.3.` / `data.3.`), only that one is refused and the
 * others are retried at once; otherwise the worker splits the batch to find it.
 */
function invalidParameter(batchSize: number, tag: string, message: string, rawMessage: string): ClassifiedResponse {
  const index = failingIndex(rawMessage);
  if (batchSize === 1 || index === undefined || index >= batchSize) return whole(batchSize, permanent(tag, message), batchSize > 1);
  const others = retryable('batch_refused_for_another_event', `TikTok refused the batch because of event ${index}`, 0);
  const results = new Array<EventResult>(batchSize).fill({ ok: false, error: others });
  results[index] = { ok: false, error: permanent(tag, message) };
  return { results, wholeBatch: false };
}

function partialSuccess(batchSize: number, tag: string, rawMessage: string): ClassifiedResponse {
  const results = new Array<EventResult>(batchSize).fill({ ok: true });
  for (const index of failingIndexes(rawMessage)) {
    if (index >= batchSize) continue;
    results[index] = { ok: false, error: permanent(tag, `TikTok refused event ${index} of a partly accepted batch: ${messageFor(rawMessage, index)}`) };
  }
  return { results, wholeBatch: false };
}

/** Every event index a TikTok message names (`data.3.user.email: …; data.7.event_time: …`), in order, once each. */
export function failingIndexes(message: string): number[] {
  const seen = new Set<number>();
  for (const m of message.matchAll(/(?:^|[^A-Za-z])(?:Batch|data)\.(\d+)\./g)) seen.add(Number(m[1]));
  return [...seen];
}

/** The part of the message about one event (up to the next `;` or line break), for that event's record. */
function messageFor(message: string, index: number): string {
  const part = message.split(/[;\n]/).find((p) => new RegExp(`(?:^|[^A-Za-z])(?:Batch|data)\\.${index}\\.`).test(p));
  return (part ?? message).trim().slice(0, 200);
}

export function failingIndex(message: string): number | undefined {
  return failingIndexes(message)[0];
}

function whole(n: number, error: DeliveryError | undefined, wholeBatch = false): ClassifiedResponse {
  const result: EventResult = error ? { ok: false, error } : { ok: true };
  return { results: new Array<EventResult>(n).fill(result), wholeBatch };
}
