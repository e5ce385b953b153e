import { loadRequestContract } from '../platforms/contract/request-contract.js';
import { firstValue, isObject, isRevokedCredential } from './checks.js';
import { firstProblem } from './contract-check.js';
import type { HandleContext, PlatformSimulator, SimReply, SimRequest } from './types.js';

// Reddit Conversions API v3 stand-in: POST /api/v3/pixels/{pixel_id}/conversion_events
// (src/platforms/reddit/README.md). Every request is checked against the platform's request contract; Reddit
// answers for the request as a whole, `{error: {code, message}}` on an error.

const contract = loadRequestContract(new URL('../platforms/reddit/contract/conversion_events.schema.json', import.meta.url));

function error(status: number, message: string, rejected = 0): SimReply {
  return { status, body: { error: { code: status, message } }, accepted: 0, rejected };
}

function eventsOf(body: unknown): unknown[] {
  return isObject(body) && isObject(body.data) && Array.isArray(body.data.events) ? body.data.events : [];
}

function eventIds(body: unknown): (string | undefined)[] {
  return eventsOf(body).map((e) => {
    const metadata = isObject(e) ? e.metadata : undefined;
    return isObject(metadata) && typeof metadata.conversion_id === 'string' ? metadata.conversion_id : undefined;
  });
}

function handleEvents(req: SimRequest, ctx: HandleContext): SimReply {
  const auth = firstValue(req.headers.authorization);
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  if (token === '' || isRevokedCredential(token)) return error(401, 'Unauthorized: invalid or expired access token.');
  const count = eventsOf(req.body).length;
  const problem = firstProblem(contract, req.body, eventIds(req.body), 'data.events', ctx);
  if (problem) return error(400, `${problem.message} (${problem.path || 'body'})`, count);
  return { status: 200, body: { message: 'Successfully processed conversion events.' }, accepted: count, rejected: 0 };
}

export const redditSimulator: PlatformSimulator = {
  name: 'reddit',
  routes: [{ url: '/api/v3/pixels/:pixelId/conversion_events', upload: true, handle: handleEvents }],
  eventIds,
  eventCount: (body) => eventsOf(body).length,
  rateLimited() {
    return error(429, 'Too Many Requests');
  },
  serverError() {
    return error(503, 'Service Unavailable');
  },
};
