import type { ClassifiedResponse, PlatformResponse } from '../types.js';
import { classifyWholeRequest, said } from '../whole-request-classify.js';

// Reddit's answer → one result per event (README.md "Responses"): `{error: {code, message}}` for the request as a whole.

export function classifyReddit(response: PlatformResponse, batchSize: number, nowMs = Date.now()): ClassifiedResponse {
  return classifyWholeRequest(
    response,
    batchSize,
    {
      invalidCode: 'reddit_invalid',
      describe(status, body) {
        const error = typeof body === 'object' && body !== null ? (body as { error?: { message?: unknown } }).error : undefined;
        return `Reddit answered HTTP ${status}${said(error?.message)}`;
      },
    },
    nowMs,
  );
}
