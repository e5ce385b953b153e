import { firstValue, isCurrencyCode, isFiniteNumber, isNonEmptyString, isObject, isRevokedCredential, isSha256Hex, randomHexId } from './checks.js';
import { klaviyoCreateEventContract } from '../platforms/klaviyo/contract.js';
import type { HandleContext, PlatformSimulator, SimReply, SimRequest } from './types.js';

// Klaviyo Create Event stand-in: POST /api/events (src/platforms/klaviyo/README.md). One event per request, JSON:API
// body; 202 with an empty body on success, JSON:API `errors` otherwise. Identity is sent RAW (email not hashed).

const REVISION = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;
/** phone_number must be E.164 (src/platforms/klaviyo/README.md). */
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const YEAR_2000_MS = Date.UTC(2000, 0, 1);
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;
const PROFILE_IDS = ['email', 'phone_number', 'external_id', 'anonymous_id', 'id'] as const;

interface JsonApiError {
  id: string;
  status: number;
  code: string;
  title: string;
  detail: string;
  source: { pointer: string };
  links: Record<string, never>;
  meta: Record<string, never>;
}

function errors(status: number, code: string, title: string, detail: string, pointer: string): SimReply {
  const error: JsonApiError = { id: randomHexId(16), status, code, title, detail, source: { pointer }, links: {}, meta: {} };
  return { status, body: { errors: [error] }, accepted: 0, rejected: 0 };
}

function invalid(detail: string, pointer: string): SimReply {
  return { ...errors(400, 'invalid', 'Invalid input.', detail, pointer), rejected: 1 };
}

function checkBody(body: unknown, nowMs: number): SimReply | null {
  if (!isObject(body) || !isObject(body.data)) return invalid('The request body must be a JSON:API document with a `data` object.', '/data');
  const data = body.data;
  if (data.type !== 'event') return invalid('`type` must be "event".', '/data/type');
  const a = data.attributes;
  if (!isObject(a)) return invalid('`attributes` is required.', '/data/attributes');

  const metric = a.metric;
  if (!isObject(metric) || !isObject(metric.data)) return invalid('`metric` is required.', '/data/attributes/metric');
  if (metric.data.type !== 'metric') return invalid('`type` must be "metric".', '/data/attributes/metric/data/type');
  if (!isObject(metric.data.attributes) || !isNonEmptyString(metric.data.attributes.name)) {
    return invalid('A metric name is required.', '/data/attributes/metric/data/attributes/name');
  }

  const profile = a.profile;
  if (!isObject(profile) || !isObject(profile.data)) return invalid('`profile` is required.', '/data/attributes/profile');
  if (profile.data.type !== 'profile') return invalid('`type` must be "profile".', '/data/attributes/profile/data/type');
  const p = profile.data.attributes;
  const pAt = '/data/attributes/profile/data/attributes';
  if (!isObject(p)) return invalid('Profile attributes are required.', pAt);
  if (!PROFILE_IDS.some((k) => p[k] !== undefined && p[k] !== null)) {
    return invalid('One of `email`, `phone_number`, `external_id`, `anonymous_id` or `id` is required.', pAt);
  }
  if (p.email !== undefined) {
    // Klaviyo takes the raw address (src/platforms/klaviyo/README.md); a SHA-256 here means the builder hashed a
    // field it must not.
    if (typeof p.email !== 'string' || isSha256Hex(p.email) || !EMAIL.test(p.email)) return invalid('Invalid email address.', `${pAt}/email`);
  }
  if (p.phone_number !== undefined && !(typeof p.phone_number === 'string' && E164.test(p.phone_number))) {
    return invalid('Invalid phone number format (Example of a valid format: +12345678901).', `${pAt}/phone_number`);
  }
  if (p.external_id !== undefined && typeof p.external_id !== 'string') return invalid('`external_id` must be a string.', `${pAt}/external_id`);
  for (const k of ['first_name', 'last_name']) {
    if (p[k] !== undefined && typeof p[k] !== 'string') return invalid(`\`${k}\` must be a string.`, `${pAt}/${k}`);
  }
  if (p.location !== undefined && !isObject(p.location)) return invalid('`location` must be an object.', `${pAt}/location`);

  if (a.time !== undefined) {
    // Klaviyo `time`: ISO-8601, after 2000, at most one year in the future.
    const t = typeof a.time === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(a.time) ? Date.parse(a.time) : Number.NaN;
    if (Number.isNaN(t)) return invalid('`time` must be an ISO-8601 datetime.', '/data/attributes/time');
    if (t < YEAR_2000_MS || t > nowMs + ONE_YEAR_MS) return invalid('`time` must be after 2000 and at most one year in the future.', '/data/attributes/time');
  }
  if (a.value !== undefined && !isFiniteNumber(a.value)) return invalid('`value` must be a number.', '/data/attributes/value');
  if (a.value_currency !== undefined && !isCurrencyCode(a.value_currency)) return invalid('`value_currency` must be an ISO-4217 code.', '/data/attributes/value_currency');
  if (a.unique_id !== undefined && !isNonEmptyString(a.unique_id)) return invalid('`unique_id` must be a non-empty string.', '/data/attributes/unique_id');
  if (a.properties !== undefined && !isObject(a.properties)) return invalid('`properties` must be an object.', '/data/attributes/properties');
  return null;
}

/**
 * A body outside the published contract (src/platforms/klaviyo/contract/create-event.schema.json): a JSON:API 400
 * whose pointer names the field, as Klaviyo answers (`'x' is not a valid field for the resource 'event'.`).
 */
function checkContract(body: unknown): SimReply | null {
  const v = klaviyoCreateEventContract.check(body)[0];
  if (!v) return null;
  const pointer = '/' + v.path.split('.').join('/');
  if (v.kind === 'unknown_field') return invalid(`'${v.field}' is not a valid field for the resource.`, pointer);
  return invalid(v.message, pointer);
}

function uniqueIdOf(body: unknown): string | undefined {
  if (!isObject(body) || !isObject(body.data) || !isObject(body.data.attributes)) return undefined;
  const id = body.data.attributes.unique_id;
  return typeof id === 'string' ? id : undefined;
}

function authError(req: SimRequest): SimReply | null {
  const auth = firstValue(req.headers.authorization);
  if (!auth?.startsWith('Klaviyo-API-Key ') || auth.length <= 'Klaviyo-API-Key '.length) {
    return errors(401, 'not_authenticated', 'Authentication credentials were not provided.', 'Missing or invalid authorization scheme. Please use Klaviyo-API-Key.', '/data/');
  }
  if (isRevokedCredential(auth.slice('Klaviyo-API-Key '.length).trim())) {
    return errors(401, 'authentication_failed', 'Incorrect authentication credentials.', 'Incorrect authentication credentials.', '/data/');
  }
  return null;
}

/** GET /api/accounts: the key's own account, read-only (`matchkey check`). */
function handleAccountLookup(req: SimRequest): SimReply {
  return authError(req) ?? { status: 200, body: { data: [{ type: 'account', id: 'SimAcct', attributes: { contact_information: { organization_name: 'Simulated shop' } } }] }, accepted: 0, rejected: 0 };
}

function handleEvents(req: SimRequest, ctx: HandleContext): SimReply {
  const denied = authError(req);
  if (denied) return denied;
  const revision = firstValue(req.headers.revision);
  if (revision === undefined) return errors(400, 'invalid', 'Invalid input.', 'The `revision` header is required (YYYY-MM-DD).', '/data/');
  if (!REVISION.test(revision)) return errors(400, 'invalid', 'Invalid input.', 'The `revision` header must be a date (YYYY-MM-DD).', '/data/');
  const problem = checkBody(req.body, ctx.nowMs) ?? checkContract(req.body);
  if (problem) return problem;
  if (ctx.rejectEvent?.(uniqueIdOf(req.body))) return invalid('Rejected by the simulator (reject_events).', '/data/attributes/unique_id');
  return { status: 202, accepted: 1, rejected: 0 };
}

export const klaviyoSimulator: PlatformSimulator = {
  name: 'klaviyo',
  routes: [
    { url: '/api/events', upload: true, handle: handleEvents },
    { url: '/api/accounts', method: 'GET', upload: false, handle: handleAccountLookup },
  ],
  eventIds(body) {
    return [uniqueIdOf(body)];
  },
  eventCount(body) {
    return isObject(body) && isObject(body.data) ? 1 : 0;
  },
  rateLimited(retryAfterS) {
    return errors(429, 'throttled', 'Request was throttled.', `Request was throttled. Expected available in ${retryAfterS} second${retryAfterS === 1 ? '' : 's'}.`, '/data/');
  },
  serverError() {
    return errors(503, 'service_unavailable', 'Service unavailable.', 'The service is temporarily unavailable. Please try again later.', '/data/');
  },
};
