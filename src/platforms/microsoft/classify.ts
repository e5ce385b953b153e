import type { ClassifiedResponse, PlatformResponse } from '../types.js';
import { classifyWholeRequest, said } from '../whole-request-classify.js';

// Microsoft UET's answer → one result per event (README.md "Responses"): the API answers for the request as a whole.

export function classifyMicrosoft(response: PlatformResponse, batchSize: number, nowMs = Date.now()): ClassifiedResponse {
  return classifyWholeRequest(
    response,
    batchSize,
    {
      invalidCode: 'microsoft_invalid',
      describe(status, body) {
        const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
        const code = typeof error?.code === 'string' ? ` ${error.code.slice(0, 60)}` : '';
        return `Microsoft answered HTTP ${status}${code}${said(error?.message)}`;
      },
    },
    nowMs,
  );
}
