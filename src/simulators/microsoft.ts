import { loadRequestContract } from '../platforms/contract/request-contract.js';
import { dataEventCount, firstValue, isRevokedCredential } from './checks.js';
import { firstProblem } from './contract-check.js';
import type { HandleContext, PlatformSimulator, SimReply, SimRequest } from './types.js';

// Microsoft Advertising UET Conversions API stand-in: POST /v1/{tagId}/events (src/platforms/microsoft/README.md).
// Every request is checked against the platform's request contract; the answer covers the request as a whole.

const contract = loadRequestContract(new URL('../platforms/microsoft/contract/events.schema.json', import.meta.url));

function error(status: number, code: string, message: string, target?: string, rejected = 0): SimReply {
  return { status, body: { error: { code, message, ...(target === undefined ? {} : { target }) } }, accepted: 0, rejected };
}

function handleEvents(req: SimRequest, ctx: HandleContext): SimReply {
  const auth = firstValue(req.headers.authorization);
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  if (token === '' || isRevokedCredential(token)) return error(401, 'Unauthorized', 'The Conversions API token is missing, invalid or expired.');
  const count = dataEventCount(req.body);
  const problem = firstProblem(contract, req.body, microsoftSimulator.eventIds(req.body, req.path), 'data', ctx);
  if (problem) return error(400, 'InvalidRequest', problem.message, problem.path, count);
  return { status: 200, body: { eventsReceived: count }, accepted: count, rejected: 0 };
}

export const microsoftSimulator: PlatformSimulator = {
  name: 'microsoft',
  routes: [{ url: '/v1/:tagId/events', upload: true, handle: handleEvents }],
  // UET events carry `eventId`, not `event_id`.
  eventIds: (body) => (dataOf(body) ?? []).map((e) => (typeof e === 'object' && e !== null && typeof (e as { eventId?: unknown }).eventId === 'string' ? (e as { eventId: string }).eventId : undefined)),
  eventCount: dataEventCount,
  rateLimited() {
    return error(429, 'TooManyRequests', 'Rate limit exceeded.');
  },
  serverError() {
    return error(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');
  },
};

function dataOf(body: unknown): unknown[] | null {
  return typeof body === 'object' && body !== null && Array.isArray((body as { data?: unknown }).data) ? (body as { data: unknown[] }).data : null;
}
