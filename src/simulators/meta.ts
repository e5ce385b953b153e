import { isIP } from 'node:net';
import { checkStringOrArray, dataEventCount, dataEventIds, firstValue, isCurrencyCode, isFiniteNumber, isNonEmptyString, isObject, isRevokedCredential, isUnknownId, isSha256HexWithAppendix, isUnixSeconds, randomId } from './checks.js';
import { metaEventsContract } from '../platforms/meta/contract.js';
import type { ContractViolation } from '../platforms/contract/request-contract.js';
import type { HandleContext, PlatformSimulator, SimReply, SimRequest } from './types.js';

// Meta Conversions API stand-in: POST /{version}/{pixel_id}/events (src/platforms/meta/README.md). Meta refuses the
// WHOLE request when any event in it is invalid (event_time:
// https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event;
// src/platforms/meta/README.md "Responses"), answering HTTP 400 with a Graph `error` object; the delivery worker has
// to split the batch to find the bad event.

export const META_MAX_EVENTS = 1000;
const MAX_AGE_SEC = 7 * 24 * 3600;
// The future limit is not documented; a few minutes of clock skew are tolerated.
const MAX_FUTURE_SEC = 10 * 60;

const ACTION_SOURCES = new Set([
  'website', 'app', 'email', 'phone_call', 'chat', 'physical_store', 'system_generated', 'business_messaging', 'other',
]);
/**
 * https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters:
 * these are SHA-256 hex (optionally with the param-builder appendix), as a string or an array.
 */
const HASHED_KEYS = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country', 'external_id'] as const;
const PLAIN_KEYS = [
  'client_ip_address', 'client_user_agent', 'fbc', 'fbp', 'subscription_id', 'fb_login_id', 'lead_id', 'anon_id',
  'madid', 'page_id', 'page_scoped_user_id', 'ctwa_clid', 'ig_account_id', 'ig_sid',
] as const;
// https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc: creation time in ms
// (10..13 digits tolerated: seconds are a common bug Meta only warns about), optional appendix.
const FBC = /^fb\.\d+\.\d{10,13}\.[^\s.]+(\.[A-Za-z0-9_-]+)?$/;
const FBP = /^fb\.\d+\.\d{10,13}\.\d+(\.[A-Za-z0-9_-]+)?$/;

/**
 * Subcodes used by the simulator: 2804003 and 2804050 are seen in real answers (src/platforms/meta/README.md
 * "Responses"); the rest are not documented.
 */
export const META_SUBCODE = {
  timestampTooOld: 2804003,
  timestampInFuture: 2804004,
  invalidField: 2804019,
  insufficientCustomerInfo: 2804050,
} as const;

interface MetaFailure {
  subcode: number;
  title: string;
  /** Names the event index and field path only, never a value (values can be PII). */
  detail: string;
}

function graphError(status: number, error: Record<string, unknown>): SimReply {
  return { status, body: { error: { ...error, fbtrace_id: randomId() } }, accepted: 0, rejected: 0 };
}

/** Structural problems Graph reports as a plain `(#100)` parameter error, without a subcode. */
function paramError(message: string): SimReply {
  return graphError(400, { message: `(#100) ${message}`, type: 'OAuthException', code: 100 });
}

/** `data.0.user_data` → `$['data'][0]['user_data']`, the way Graph names a parameter in its messages. */
function graphParam(segments: string[]): string {
  return '$' + segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `['${s}']`)).join('');
}

/**
 * A request that breaks the published contract (src/platforms/meta/contract/events.schema.json): Graph refuses
 * it as a whole with a (#100) parameter error. An unknown key reads `Unexpected key "x" on param "$['data'][0]"`
 * (https://github.com/facebook/facebook-nodejs-business-sdk/issues/258).
 */
function contractError(v: ContractViolation, events: number): SimReply {
  const segments = v.path === '' ? [] : v.path.split('.');
  const message =
    v.kind === 'unknown_field' ? `(#100) Unexpected key "${v.field}" on param "${graphParam(segments.slice(0, -1))}".`
    : v.kind === 'missing_field' ? `(#100) The parameter ${graphParam(segments)} is required`
    : `(#100) Param ${graphParam(segments)} ${v.message.slice(v.path.length).trim()}`;
  return { ...graphError(400, { message, type: 'OAuthException', code: 100, is_transient: false }), rejected: events };
}

function checkUserData(ud: unknown, i: number, actionSource: unknown): MetaFailure | null {
  const at = `data[${i}].user_data`;
  if (!isObject(ud)) {
    return { subcode: META_SUBCODE.insufficientCustomerInfo, title: 'Missing user_data', detail: `${at} is required` };
  }
  let keys = 0;
  for (const key of HASHED_KEYS) {
    const v = ud[key];
    if (v === undefined) continue;
    const r = checkStringOrArray(v, isSha256HexWithAppendix);
    if (!r.ok) {
      const where = r.index === undefined ? `${at}.${key}` : `${at}.${key}[${r.index}]`;
      return { subcode: META_SUBCODE.invalidField, title: 'Invalid hashed customer information', detail: `${where} must be a lowercase SHA-256 hex string (or an array of them)` };
    }
    keys++;
  }
  for (const key of PLAIN_KEYS) {
    const v = ud[key];
    if (v === undefined) continue;
    if (!isNonEmptyString(v)) {
      return { subcode: META_SUBCODE.invalidField, title: 'Invalid customer information parameter', detail: `${at}.${key} must be a non-empty string` };
    }
    keys++;
  }
  if (ud.client_ip_address !== undefined && isIP(ud.client_ip_address as string) === 0) {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid client_ip_address', detail: `${at}.client_ip_address must be an IPv4 or IPv6 address` };
  }
  if (ud.fbc !== undefined && !FBC.test(ud.fbc as string)) {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid fbc', detail: `${at}.fbc must look like fb.<subdomain index>.<creation time ms>.<fbclid>` };
  }
  if (ud.fbp !== undefined && !FBP.test(ud.fbp as string)) {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid fbp', detail: `${at}.fbp must look like fb.<subdomain index>.<creation time ms>.<random number>` };
  }
  if (keys === 0) {
    return { subcode: META_SUBCODE.insufficientCustomerInfo, title: 'Customer information parameters', detail: `${at}: this event has insufficient customer information` };
  }
  // Website events require client_user_agent ("required for website events" in Meta's parameter docs).
  if (actionSource === 'website' && ud.client_user_agent === undefined) {
    return { subcode: META_SUBCODE.insufficientCustomerInfo, title: 'Missing client_user_agent', detail: `${at}.client_user_agent is required for website events` };
  }
  return null;
}

function checkCustomData(cd: unknown, i: number, eventName: string): MetaFailure | null {
  const at = `data[${i}].custom_data`;
  if (cd === undefined) {
    if (eventName === 'Purchase') {
      return { subcode: META_SUBCODE.invalidField, title: 'Missing currency and value', detail: `${at}.currency and ${at}.value are required for Purchase events` };
    }
    return null;
  }
  if (!isObject(cd)) return { subcode: META_SUBCODE.invalidField, title: 'Invalid custom_data', detail: `${at} must be an object` };
  if (cd.value !== undefined && !isFiniteNumber(cd.value)) {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid value', detail: `${at}.value must be a number` };
  }
  if (cd.currency !== undefined && !isCurrencyCode(cd.currency)) {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid currency', detail: `${at}.currency must be an ISO-4217 code` };
  }
  if (eventName === 'Purchase' && (cd.currency === undefined || cd.value === undefined)) {
    return { subcode: META_SUBCODE.invalidField, title: 'Missing currency and value', detail: `${at}.currency and ${at}.value are required for Purchase events` };
  }
  if (cd.content_ids !== undefined && !(Array.isArray(cd.content_ids) && cd.content_ids.every((c) => typeof c === 'string' || typeof c === 'number'))) {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid content_ids', detail: `${at}.content_ids must be an array of ids` };
  }
  if (cd.contents !== undefined) {
    if (!Array.isArray(cd.contents)) return { subcode: META_SUBCODE.invalidField, title: 'Invalid contents', detail: `${at}.contents must be an array` };
    for (let j = 0; j < cd.contents.length; j++) {
      const c: unknown = cd.contents[j];
      const cat = `${at}.contents[${j}]`;
      if (!isObject(c) || !(isNonEmptyString(c.id) || typeof c.id === 'number')) {
        return { subcode: META_SUBCODE.invalidField, title: 'Invalid contents', detail: `${cat}.id is required` };
      }
      if (c.quantity !== undefined && !(Number.isInteger(c.quantity) && (c.quantity as number) >= 0)) {
        return { subcode: META_SUBCODE.invalidField, title: 'Invalid contents', detail: `${cat}.quantity must be an integer` };
      }
      if (c.item_price !== undefined && !isFiniteNumber(c.item_price)) {
        return { subcode: META_SUBCODE.invalidField, title: 'Invalid contents', detail: `${cat}.item_price must be a number` };
      }
    }
  }
  return null;
}

function checkEvent(ev: unknown, i: number, nowSec: number): MetaFailure | null {
  const at = `data[${i}]`;
  if (!isObject(ev)) return { subcode: META_SUBCODE.invalidField, title: 'Invalid event', detail: `${at} must be an object` };
  if (!isNonEmptyString(ev.event_name)) {
    return { subcode: META_SUBCODE.invalidField, title: 'Missing event_name', detail: `${at}.event_name must be a non-empty string` };
  }
  if (!isUnixSeconds(ev.event_time)) {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid event_time', detail: `${at}.event_time must be a unix timestamp in seconds` };
  }
  if (ev.event_time < nowSec - MAX_AGE_SEC) {
    return { subcode: META_SUBCODE.timestampTooOld, title: 'Event Timestamp Too Old', detail: `${at}.event_time is more than 7 days in the past` };
  }
  if (ev.event_time > nowSec + MAX_FUTURE_SEC) {
    return { subcode: META_SUBCODE.timestampInFuture, title: 'Event Timestamp In Future', detail: `${at}.event_time is in the future` };
  }
  if (ev.event_id !== undefined && !isNonEmptyString(ev.event_id)) {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid event_id', detail: `${at}.event_id must be a string` };
  }
  if (!ACTION_SOURCES.has(ev.action_source as string)) {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid action_source', detail: `${at}.action_source must be one of ${[...ACTION_SOURCES].join(', ')}` };
  }
  if (ev.event_source_url !== undefined && typeof ev.event_source_url !== 'string') {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid event_source_url', detail: `${at}.event_source_url must be a string` };
  }
  if (ev.opt_out !== undefined && typeof ev.opt_out !== 'boolean') {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid opt_out', detail: `${at}.opt_out must be a boolean` };
  }
  if (ev.data_processing_options !== undefined && !(Array.isArray(ev.data_processing_options) && ev.data_processing_options.every((o) => o === 'LDU'))) {
    return { subcode: META_SUBCODE.invalidField, title: 'Invalid data_processing_options', detail: `${at}.data_processing_options must be [] or ["LDU"]` };
  }
  return checkUserData(ev.user_data, i, ev.action_source) ?? checkCustomData(ev.custom_data, i, ev.event_name);
}

function tokenError(token: unknown): SimReply | null {
  if (!isNonEmptyString(token)) {
    return graphError(400, { message: 'An access token is required to request this resource.', type: 'OAuthException', code: 104 });
  }
  if (isRevokedCredential(token)) {
    return graphError(400, { message: 'Error validating access token: Session has expired', type: 'OAuthException', code: 190, error_subcode: 463 });
  }
  return null;
}

/** GET /{version}/{pixel_id}?fields=id,name: the pixel (dataset) node, read-only (`matchkey check`). */
function handlePixelLookup(req: SimRequest): SimReply {
  const denied = tokenError(firstValue(req.query.access_token as string | string[] | undefined));
  if (denied) return denied;
  const pixelId = req.params.pixelId ?? '';
  if (isUnknownId(pixelId)) {
    return graphError(400, {
      message: `Unsupported get request. Object with ID '${pixelId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
    });
  }
  return { status: 200, body: { id: pixelId, name: 'Simulated pixel' }, accepted: 0, rejected: 0 };
}

function handleEvents(req: SimRequest, ctx: HandleContext): SimReply {
  const body = isObject(req.body) ? req.body : undefined;
  const denied = tokenError(firstValue(req.query.access_token as string | string[] | undefined) ?? (body?.access_token as unknown));
  if (denied) return denied;
  if (!body || body.data === undefined) return paramError('The parameter data is required');
  const data = body.data;
  if (!Array.isArray(data)) return paramError('param data must be an array.');
  if (data.length === 0) return paramError('param data must be a non-empty array.');
  if (data.length > META_MAX_EVENTS) return { ...paramError(`param data must be an array with at most ${META_MAX_EVENTS} elements.`), rejected: data.length };

  const nowSec = Math.floor(ctx.nowMs / 1000);
  for (let i = 0; i < data.length; i++) {
    const failure = checkEvent(data[i], i, nowSec)
      ?? (ctx.rejectEvent?.((data[i] as { event_id?: string }).event_id)
        ? { subcode: META_SUBCODE.invalidField, title: 'Rejected by simulator', detail: `data[${i}] was listed in reject_events` }
        : null);
    if (failure) {
      return {
        ...graphError(400, {
          message: 'Invalid parameter',
          type: 'OAuthException',
          code: 100,
          error_subcode: failure.subcode,
          is_transient: false,
          error_user_title: failure.title,
          error_user_msg: failure.detail,
        }),
        rejected: data.length,
      };
    }
  }
  // What the hand-written checks above let through is held against the published contract last, so their
  // Meta-specific subcodes stay what a test sees first; the contract catches every unknown key and stray type.
  const violation = metaEventsContract.check(body)[0];
  if (violation) return contractError(violation, data.length);
  return { status: 200, body: { events_received: data.length, messages: [], fbtrace_id: randomId() }, accepted: data.length, rejected: 0 };
}

export const metaSimulator: PlatformSimulator = {
  name: 'meta',
  routes: [
    { url: '/:version/:pixelId/events', upload: true, handle: handleEvents },
    { url: '/:version/:pixelId', method: 'GET', upload: false, handle: handlePixelLookup },
  ],
  eventIds: dataEventIds,
  eventCount: dataEventCount,
  rateLimited() {
    // Code 4 = application request limit (4/17/80003 are rate limits:
    // https://developers.facebook.com/docs/graph-api/overview/rate-limiting).
    return graphError(429, { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4, is_transient: true });
  },
  serverError() {
    return graphError(503, { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true });
  },
};
