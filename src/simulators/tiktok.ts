import { checkStringOrArray, dataEventCount, dataEventIds, firstValue, isCurrencyCode, isFiniteNumber, isNonEmptyString, isObject, isRevokedCredential, isUnknownId, isSha256Hex, isUnixSeconds, randomHexId } from './checks.js';
import { tiktokEventTrackContract } from '../platforms/tiktok/contract.js';
import type { ContractViolation } from '../platforms/contract/request-contract.js';
import type { HandleContext, PlatformSimulator, SimReply, SimRequest } from './types.js';

// TikTok Events API 2.0 stand-in: POST /open_api/v1.3/event/track/ (src/platforms/tiktok/README.md). TikTok signals
// errors with HTTP 200 and a non-zero `code` (src/platforms/tiktok/README.md "Responses"); one bad event fails the
// request (40002).

export const TIKTOK_MAX_EVENTS = 1000;
const EVENT_SOURCES = new Set(['web', 'app', 'offline', 'crm']);
/** TikTok hashing (src/platforms/tiktok/README.md): these user keys are SHA-256 hex, as a string or an array. */
const HASHED_STRING_OR_ARRAY = ['email', 'phone', 'external_id'] as const;
/** Hashed single values (first/last name, zip code; src/platforms/tiktok/README.md). */
const HASHED_SINGLE = ['first_name', 'last_name', 'zip_code'] as const;
/**
 * Plain strings (src/platforms/tiktok/README.md: ttclid, ttp, ip, user_agent unhashed; city/state/country hashing
 * undocumented, so any string).
 */
const PLAIN_USER = ['ttclid', 'ttp', 'ip', 'user_agent', 'locale', 'city', 'state', 'country'] as const;

export const TIKTOK_CODE = { ok: 0, noPermission: 40001, invalidParam: 40002, tokenMissing: 40104, tokenInvalid: 40105, rateLimited: 40100, internal: 50000 } as const;

function answer(code: number, message: string, extra: Partial<SimReply> = {}): SimReply {
  return { status: 200, body: { code, message, request_id: randomHexId(16), data: {} }, accepted: 0, rejected: 0, ...extra };
}

/**
 * A request that breaks the published contract (src/platforms/tiktok/contract/event-track.schema.json): TikTok
 * answers HTTP 200 with code 40002 and a message naming the path, as its validation does
 * (`data.0.properties.contents.0.content_id: Not a valid string`).
 */
function contractMessage(v: ContractViolation): string {
  switch (v.kind) {
    case 'unknown_field':
      return `${v.path}: Unknown field.`;
    case 'missing_field':
      return `${v.path}: Missing data for required field.`;
    case 'wrong_enum':
      return `${v.path}: Must be one of the documented values.`;
    default:
      return `${v.path || 'body'}: ${v.message.slice(v.path.length).trim()}.`;
  }
}

/** The path style of TikTok's messages: `data.0.user.email: Not a valid string`. Never a value. */
function checkEvent(ev: unknown, i: number): string | null {
  const at = `data.${i}`;
  if (!isObject(ev)) return `${at}: Not a valid mapping type.`;
  if (!isNonEmptyString(ev.event)) return `${at}.event: Missing data for required field.`;
  if (ev.event_time === undefined) return `${at}.event_time: Missing data for required field.`;
  if (!isUnixSeconds(ev.event_time)) return `${at}.event_time: Not a valid unix timestamp in seconds.`;
  if (ev.event_id !== undefined && typeof ev.event_id !== 'string') return `${at}.event_id: Not a valid string.`;
  if (ev.limited_data_use !== undefined && typeof ev.limited_data_use !== 'boolean') return `${at}.limited_data_use: Not a valid boolean.`;

  if (ev.user !== undefined) {
    const u = ev.user;
    if (!isObject(u)) return `${at}.user: Not a valid mapping type.`;
    for (const key of HASHED_STRING_OR_ARRAY) {
      if (u[key] === undefined) continue;
      const r = checkStringOrArray(u[key], isSha256Hex);
      if (!r.ok) return `${at}.user.${key}${r.index === undefined ? '' : `.${r.index}`}: Not a valid SHA-256 hash.`;
    }
    for (const key of HASHED_SINGLE) {
      if (u[key] !== undefined && !isSha256Hex(u[key])) return `${at}.user.${key}: Not a valid SHA-256 hash.`;
    }
    for (const key of PLAIN_USER) {
      if (u[key] !== undefined && typeof u[key] !== 'string') return `${at}.user.${key}: Not a valid string.`;
    }
  }
  if (ev.page !== undefined) {
    if (!isObject(ev.page)) return `${at}.page: Not a valid mapping type.`;
    if (ev.page.url !== undefined && typeof ev.page.url !== 'string') return `${at}.page.url: Not a valid string.`;
    if (ev.page.referrer !== undefined && typeof ev.page.referrer !== 'string') return `${at}.page.referrer: Not a valid string.`;
  }
  if (ev.properties !== undefined) {
    const p = ev.properties;
    if (!isObject(p)) return `${at}.properties: Not a valid mapping type.`;
    if (p.value !== undefined && !isFiniteNumber(p.value)) return `${at}.properties.value: Not a valid number.`;
    if (p.currency !== undefined && !isCurrencyCode(p.currency)) return `${at}.properties.currency: Not a valid currency code.`;
    if (p.content_type !== undefined && p.content_type !== 'product' && p.content_type !== 'product_group') {
      return `${at}.properties.content_type: Must be one of: product, product_group.`;
    }
    if (p.order_id !== undefined && typeof p.order_id !== 'string') return `${at}.properties.order_id: Not a valid string.`;
    if (p.contents !== undefined) {
      if (!Array.isArray(p.contents)) return `${at}.properties.contents: Not a valid list.`;
      for (let j = 0; j < p.contents.length; j++) {
        const c: unknown = p.contents[j];
        const cat = `${at}.properties.contents.${j}`;
        if (!isObject(c)) return `${cat}: Not a valid mapping type.`;
        if (c.content_id !== undefined && typeof c.content_id !== 'string') return `${cat}.content_id: Not a valid string.`;
        if (c.price !== undefined && !isFiniteNumber(c.price)) return `${cat}.price: Not a valid number.`;
        if (c.quantity !== undefined && !Number.isInteger(c.quantity)) return `${cat}.quantity: Not a valid integer.`;
      }
    }
  }
  return null;
}

function handleTrack(req: SimRequest, ctx: HandleContext): SimReply {
  const token = firstValue(req.headers['access-token']);
  if (!isNonEmptyString(token)) return answer(TIKTOK_CODE.tokenMissing, 'Access token is null, please check your request.');
  if (isRevokedCredential(token)) return answer(TIKTOK_CODE.tokenInvalid, 'Access token is incorrect or has been revoked.');
  const body = req.body;
  if (!isObject(body)) return answer(TIKTOK_CODE.invalidParam, 'Request body must be a JSON object.');
  if (!EVENT_SOURCES.has(body.event_source as string)) return answer(TIKTOK_CODE.invalidParam, 'event_source: Must be one of: web, app, offline, crm.');
  if (!isNonEmptyString(body.event_source_id)) return answer(TIKTOK_CODE.invalidParam, 'event_source_id: Missing data for required field.');
  if (isUnknownId(body.event_source_id)) return answer(TIKTOK_CODE.noPermission, `No permission to operate pixel code: ${body.event_source_id}.`);
  const data = body.data;
  if (!Array.isArray(data)) return answer(TIKTOK_CODE.invalidParam, 'data: Missing data for required field.');
  if (data.length === 0 || data.length > TIKTOK_MAX_EVENTS) {
    return answer(TIKTOK_CODE.invalidParam, `data: Length must be between 1 and ${TIKTOK_MAX_EVENTS}.`, { rejected: data.length });
  }
  for (let i = 0; i < data.length; i++) {
    let problem = checkEvent(data[i], i);
    if (!problem && ctx.rejectEvent?.((data[i] as { event_id?: string }).event_id)) problem = `data.${i}.event_id: Rejected by simulator.`;
    if (problem) return answer(TIKTOK_CODE.invalidParam, problem, { rejected: data.length });
  }
  // The published contract last: the checks above keep their own wording, the contract catches the rest.
  const violation = tiktokEventTrackContract.check(body)[0];
  if (violation) return answer(TIKTOK_CODE.invalidParam, contractMessage(violation), { rejected: data.length });
  return answer(TIKTOK_CODE.ok, 'OK', { accepted: data.length });
}

export const tiktokSimulator: PlatformSimulator = {
  name: 'tiktok',
  routes: [{ url: '/open_api/v1.3/event/track/', upload: true, handle: handleTrack }],
  eventIds: dataEventIds,
  eventCount: dataEventCount,
  rateLimited() {
    // 40100 = rate limited (src/platforms/tiktok/README.md "Responses"). Real TikTok answers it with HTTP 200; the
    // switch's `status` can reproduce that.
    return { ...answer(TIKTOK_CODE.rateLimited, 'Too many requests. Please retry in some time.'), status: 429 };
  },
  serverError() {
    return { ...answer(TIKTOK_CODE.internal, 'Internal service error, please retry later.'), status: 503 };
  },
};
