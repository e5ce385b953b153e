import { loadRequestContract, type ContractViolation } from '../platforms/contract/request-contract.js';
import { RESERVED_EVENT_NAMES, RESERVED_PREFIXES } from '../platforms/ga4/names.js';
import { firstValue, isNonEmptyString, isObject, isRevokedCredential } from './checks.js';
import type { HandleContext, PlatformSimulator, SimReply, SimRequest } from './types.js';

// Google Analytics 4 Measurement Protocol stand-in: POST /mp/collect and the validation server POST
// /debug/mp/collect (https://developers.google.com/analytics/devguides/collection/protocol/ga4/validating-events).
// Like GA4, /mp/collect answers 204 to every request it receives, valid or not; unlike GA4, the simulator counts
// what GA4 would drop as rejected (recorder totals), so a test sees the silent loss. /debug/mp/collect answers 200
// with `validationMessages` ({fieldPath, description, validationCode}) for the same problems, as the real one does.

const contract = loadRequestContract(new URL('../platforms/ga4/contract/mp-collect.schema.json', import.meta.url));

export const GA4_MAX_EVENTS = 25;
const MEASUREMENT_ID = /^G-[A-Z0-9]{4,20}$/;
const MAX_AGE_MICROS = 72 * 3600 * 1_000_000;
/**
 * Events whose transaction_id the events reference marks required; `currency` is required with any `value`
 * (https://developers.google.com/analytics/devguides/collection/ga4/reference/events, checked 2026-12-04).
 */
const TRANSACTION_EVENTS = new Set(['purchase', 'refund']);

export type Ga4ValidationCode = 'VALUE_INVALID' | 'VALUE_REQUIRED' | 'NAME_INVALID' | 'NAME_RESERVED' | 'VALUE_OUT_OF_BOUNDS' | 'EXCEEDED_MAX_ENTITIES' | 'NAME_DUPLICATED';

export interface Ga4ValidationMessage {
  fieldPath: string;
  description: string;
  validationCode: Ga4ValidationCode;
}

const CONTAINERS = new Set(['events', 'params', 'items', 'user_properties']);

function fromViolation(v: ContractViolation): Ga4ValidationMessage {
  const last = v.path.split('.').filter((s) => !/^\d+$/.test(s)).pop() ?? '';
  let validationCode: Ga4ValidationCode;
  switch (v.kind) {
    case 'unknown_field':
      validationCode = 'NAME_INVALID';
      break;
    case 'missing_field':
      validationCode = 'VALUE_REQUIRED';
      break;
    case 'out_of_range':
      validationCode = CONTAINERS.has(last) ? 'EXCEEDED_MAX_ENTITIES' : 'VALUE_OUT_OF_BOUNDS';
      break;
    default:
      validationCode = v.path.endsWith('.name') ? 'NAME_INVALID' : 'VALUE_INVALID';
  }
  return { fieldPath: v.path, description: v.message, validationCode };
}

/** What GA4 would drop or flag in this request, in the validation server's terms. */
export function validateGa4Body(body: unknown, nowMs: number, enforceRecommendations: boolean): Ga4ValidationMessage[] {
  const messages = contract.check(body).map(fromViolation);
  if (!isObject(body)) return messages;
  const ts = body.timestamp_micros;
  if (typeof ts === 'number' && Number.isInteger(ts)) {
    if (ts < nowMs * 1000 - MAX_AGE_MICROS) messages.push({ fieldPath: 'timestamp_micros', description: 'Measurement timestamp is more than 72 hours in the past.', validationCode: 'VALUE_OUT_OF_BOUNDS' });
  }
  const events = Array.isArray(body.events) ? body.events : [];
  events.forEach((event: unknown, i) => {
    if (!isObject(event)) return;
    const name = event.name;
    if (typeof name === 'string') {
      if (RESERVED_EVENT_NAMES.has(name)) messages.push({ fieldPath: 'events', description: `Event at index: [${i}] has name [${name}] which is reserved.`, validationCode: 'NAME_RESERVED' });
      else if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) messages.push({ fieldPath: 'events', description: `Event at index: [${i}] has name [${name}] which uses a reserved prefix.`, validationCode: 'NAME_RESERVED' });
    }
    const params = isObject(event.params) ? event.params : {};
    for (const key of Object.keys(params)) {
      if (RESERVED_PREFIXES.some((p) => key.startsWith(p))) messages.push({ fieldPath: `events.${i}.params`, description: `Param [${key}] uses a reserved prefix.`, validationCode: 'NAME_RESERVED' });
    }
    if (params.value !== undefined && params.currency === undefined) {
      messages.push({ fieldPath: `events.${i}.params.currency`, description: `Event at index: [${i}] has a value but no currency.`, validationCode: 'VALUE_REQUIRED' });
    }
    if (enforceRecommendations && typeof name === 'string' && TRANSACTION_EVENTS.has(name) && params.transaction_id === undefined) {
      messages.push({ fieldPath: `events.${i}.params.transaction_id`, description: `Event at index: [${i}] (${name}) requires transaction_id.`, validationCode: 'VALUE_REQUIRED' });
    }
  });
  return messages;
}

function eventCount(body: unknown): number {
  return isObject(body) && Array.isArray(body.events) ? body.events.length : 0;
}

/** GA4 events carry no id of their own: the transaction_id names a purchase or refund for `reject_events`. */
function eventIds(body: unknown): (string | undefined)[] {
  if (!isObject(body) || !Array.isArray(body.events)) return [];
  return body.events.map((e: unknown) => {
    const params = isObject(e) && isObject(e.params) ? e.params : {};
    return typeof params.transaction_id === 'string' ? params.transaction_id : undefined;
  });
}

/** The request problems GA4 checks before the body: measurement id and API secret. */
function credentialProblem(req: SimRequest): Ga4ValidationMessage | null {
  const measurementId = firstValue(req.query.measurement_id as string | string[] | undefined);
  if (!isNonEmptyString(measurementId)) return { fieldPath: 'measurement_id', description: 'Unable to find measurement_id in the request.', validationCode: 'VALUE_REQUIRED' };
  if (!MEASUREMENT_ID.test(measurementId)) return { fieldPath: 'measurement_id', description: `Measurement id [${measurementId.slice(0, 32)}] is not a web stream measurement id.`, validationCode: 'VALUE_INVALID' };
  const secret = firstValue(req.query.api_secret as string | string[] | undefined);
  if (!isNonEmptyString(secret)) return { fieldPath: 'api_secret', description: 'Unable to find api_secret in the request.', validationCode: 'VALUE_REQUIRED' };
  return null;
}

function rejectedByBehaviour(body: unknown, ctx: HandleContext): Ga4ValidationMessage[] {
  if (!ctx.rejectEvent) return [];
  return eventIds(body).flatMap((id, i) => (ctx.rejectEvent!(id) ? [{ fieldPath: `events.${i}`, description: 'Rejected by simulator.', validationCode: 'VALUE_INVALID' as const }] : []));
}

function handleCollect(req: SimRequest, ctx: HandleContext): SimReply {
  const n = eventCount(req.body);
  const problems = [...(credentialProblem(req) ? [credentialProblem(req)!] : []), ...validateGa4Body(req.body, ctx.nowMs, false), ...rejectedByBehaviour(req.body, ctx)];
  // A revoked secret is not an error either: GA4 drops the data without a word (reference "Transport").
  const secret = firstValue(req.query.api_secret as string | string[] | undefined);
  const dropped = problems.length > 0 || (secret !== undefined && isRevokedCredential(secret));
  return { status: 204, accepted: dropped ? 0 : n, rejected: dropped ? n : 0 };
}

function handleDebug(req: SimRequest, ctx: HandleContext): SimReply {
  const body = req.body;
  const enforce = isObject(body) && body.validation_behavior === 'ENFORCE_RECOMMENDATIONS';
  // The validation server does not check the API secret (validating-events: "does not validate api_secret").
  const credential = credentialProblem(req);
  const messages = [...(credential && credential.fieldPath === 'measurement_id' ? [credential] : []), ...validateGa4Body(body, ctx.nowMs, enforce), ...rejectedByBehaviour(body, ctx)];
  const n = eventCount(body);
  return { status: 200, body: { validationMessages: messages }, accepted: messages.length === 0 ? n : 0, rejected: messages.length === 0 ? 0 : n };
}

export const ga4Simulator: PlatformSimulator = {
  name: 'ga4',
  routes: [
    { url: '/mp/collect', upload: true, handle: handleCollect },
    { url: '/debug/mp/collect', upload: true, handle: handleDebug },
  ],
  eventIds,
  eventCount,
  rateLimited() {
    return { status: 429, body: { error: { code: 429, message: 'Too many requests', status: 'RESOURCE_EXHAUSTED' } }, accepted: 0, rejected: 0 };
  },
  serverError() {
    return { status: 503, body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } }, accepted: 0, rejected: 0 };
  },
};
