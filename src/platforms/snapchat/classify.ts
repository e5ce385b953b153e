import type { ClassifiedResponse, PlatformResponse } from '../types.js';
import { classifyWholeRequest, said } from '../whole-request-classify.js';

// Snapchat's answer → one result per event (README.md "Responses"). Snap answers for the request as a whole:
// `{status, reason, param}` on an error, naming the offending parameter but not which event carried it.

export function classifySnapchat(response: PlatformResponse, batchSize: number, nowMs = Date.now()): ClassifiedResponse {
  return classifyWholeRequest(
    response,
    batchSize,
    {
      invalidCode: 'snapchat_invalid',
      describe(status, body) {
        const b = typeof body === 'object' && body !== null ? (body as { reason?: unknown; param?: unknown }) : {};
        return `Snapchat answered HTTP ${status}${said(b.reason)}${typeof b.param === 'string' ? ` (${b.param.slice(0, 100)})` : ''}`;
      },
    },
    nowMs,
  );
}
