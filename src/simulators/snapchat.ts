import { loadRequestContract } from '../platforms/contract/request-contract.js';
import { dataEventCount, dataEventIds, firstValue, isNonEmptyString, isRevokedCredential } from './checks.js';
import { firstProblem } from './contract-check.js';
import type { HandleContext, PlatformSimulator, SimReply, SimRequest } from './types.js';

// Snapchat Conversions API v3 stand-in: POST /v3/{pixel_id}/events and /v3/{pixel_id}/events/validate
// (src/platforms/snapchat/README.md). Every request is checked against the platform's request contract; Snap answers
// for the request as a whole, `{status, reason, param}` naming the offending parameter on an error.

const contract = loadRequestContract(new URL('../platforms/snapchat/contract/events.schema.json', import.meta.url));

function answer(status: number, body: Record<string, unknown>, accepted = 0, rejected = 0): SimReply {
  return { status, body, accepted, rejected };
}

function handleEvents(req: SimRequest, ctx: HandleContext): SimReply {
  const token = firstValue(req.query.access_token);
  if (!isNonEmptyString(token)) return answer(401, { status: 'UNAUTHORIZED', reason: 'access_token is missing.' });
  if (isRevokedCredential(token)) return answer(401, { status: 'UNAUTHORIZED', reason: 'The access token is invalid or has expired.' });
  const count = dataEventCount(req.body);
  const problem = firstProblem(contract, req.body, dataEventIds(req.body), 'data', ctx);
  if (problem) return answer(400, { status: 'INVALID', reason: problem.message, param: problem.path }, 0, count);
  const validate = req.path.endsWith('/validate');
  return answer(200, { status: validate ? 'VALID' : 'SUCCESS', reason: validate ? 'All events are valid.' : 'All events were received.' }, count, 0);
}

export const snapchatSimulator: PlatformSimulator = {
  name: 'snapchat',
  routes: [
    { url: '/v3/:pixelId/events', upload: true, handle: handleEvents },
    { url: '/v3/:pixelId/events/validate', upload: true, handle: handleEvents },
  ],
  eventIds: dataEventIds,
  eventCount: dataEventCount,
  rateLimited() {
    return answer(429, { status: 'RATE_LIMITED', reason: 'Too many requests. Please retry later.' });
  },
  serverError() {
    return answer(503, { status: 'INTERNAL_ERROR', reason: 'Service temporarily unavailable.' });
  },
};

