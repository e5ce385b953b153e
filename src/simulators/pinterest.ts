import { checkStringOrArray, dataEventCount, dataEventIds, firstValue, isCurrencyCode, isNonEmptyString, isObject, isRevokedCredential, isUnknownId, isSha256Hex, isUnixSeconds } from './checks.js';
import { pinterestEventsContract } from '../platforms/pinterest/contract.js';
import type { HandleContext, PlatformSimulator, SimReply, SimRequest } from './types.js';

// Pinterest Conversions API v5 stand-in: POST /v5/ad_accounts/{ad_account_id}/events[?test=true]
// (src/platforms/pinterest/README.md). Events are judged one by one: all good → 200 ConversionApiResponse; some
// failed → 422 DetailedError whose `details` is that same ConversionApiResponse (per-event statuses in request
// order).

export const PINTEREST_MAX_EVENTS = 1000;
const EVENT_NAMES = new Set([
  'add_payment_info', 'add_to_cart', 'add_to_wishlist', 'app_install', 'checkout', 'custom', 'initiate_checkout', 'lead',
  'page_visit', 'search', 'signup', 'subscribe', 'view_category', 'view_content', 'watch_video',
]);
const ACTION_SOURCES = new Set(['web', 'app_android', 'app_ios', 'offline']);
/** Pinterest (src/platforms/pinterest/README.md): every hashed key is an ARRAY of SHA-256 hex. */
const HASHED_ARRAY_KEYS = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country', 'external_id', 'hashed_maids'] as const;
/** Pinterest: plain strings, not hashed, not arrays. */
const PLAIN_KEYS = ['client_ip_address', 'client_user_agent', 'click_id', 'partner_id'] as const;
/** Pinterest: money is a decimal STRING ("72.39"). */
const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;

export const PINTEREST_CODE = { invalid: 4196, authFailed: 2, rateLimited: 8, rampedDown: 4197, notAllProcessed: 4184 } as const;

interface EventStatus {
  status: 'processed' | 'failed';
  error_message: string | null;
  warning_message: string | null;
}

function plainError(status: number, code: number, message: string): SimReply {
  return { status, body: { code, message }, accepted: 0, rejected: 0 };
}

function checkEvent(ev: unknown, i: number): string | null {
  const at = `data[${i}]`;
  if (!isObject(ev)) return `${at} must be an object.`;
  if (!EVENT_NAMES.has(ev.event_name as string)) return `${at}.event_name must be one of ${[...EVENT_NAMES].join(', ')}.`;
  if (!ACTION_SOURCES.has(ev.action_source as string)) return `${at}.action_source must be one of ${[...ACTION_SOURCES].join(', ')}.`;
  if (!isUnixSeconds(ev.event_time)) return `${at}.event_time must be a unix timestamp in seconds.`;
  if (!isNonEmptyString(ev.event_id)) return `${at}.event_id is required.`;
  if (ev.event_source_url !== undefined && typeof ev.event_source_url !== 'string') return `${at}.event_source_url must be a string.`;
  if (ev.opt_out !== undefined && typeof ev.opt_out !== 'boolean') return `${at}.opt_out must be a boolean.`;

  const ud = ev.user_data;
  if (!isObject(ud)) return `${at}.user_data is required.`;
  for (const key of HASHED_ARRAY_KEYS) {
    if (ud[key] === undefined) continue;
    const r = checkStringOrArray(ud[key], isSha256Hex, true);
    if (!r.ok) return `${at}.user_data.${key}${r.index === undefined ? '' : `[${r.index}]`} must be an array of SHA-256 hex strings.`;
  }
  for (const key of PLAIN_KEYS) {
    if (ud[key] !== undefined && !isNonEmptyString(ud[key])) return `${at}.user_data.${key} must be a non-empty string.`;
  }
  const hasIpAndUa = ud.client_ip_address !== undefined && ud.client_user_agent !== undefined;
  if (ud.em === undefined && ud.hashed_maids === undefined && !hasIpAndUa) {
    return `${at}.user_data needs at least one of em, hashed_maids, or client_ip_address together with client_user_agent.`;
  }

  const cd = ev.custom_data;
  if (cd !== undefined) {
    if (!isObject(cd)) return `${at}.custom_data must be an object.`;
    if (cd.value !== undefined && !(typeof cd.value === 'string' && DECIMAL_STRING.test(cd.value))) return `${at}.custom_data.value must be a string holding a decimal number.`;
    if (cd.predicted_ltv !== undefined && !(typeof cd.predicted_ltv === 'string' && DECIMAL_STRING.test(cd.predicted_ltv))) {
      return `${at}.custom_data.predicted_ltv must be a string holding a decimal number.`;
    }
    if (cd.currency !== undefined && !isCurrencyCode(cd.currency)) return `${at}.custom_data.currency must be an ISO-4217 code.`;
    if (cd.num_items !== undefined && !Number.isInteger(cd.num_items)) return `${at}.custom_data.num_items must be an integer.`;
    if (cd.order_id !== undefined && typeof cd.order_id !== 'string') return `${at}.custom_data.order_id must be a string.`;
    if (cd.content_ids !== undefined && !(Array.isArray(cd.content_ids) && cd.content_ids.every((c) => typeof c === 'string'))) {
      return `${at}.custom_data.content_ids must be an array of strings.`;
    }
    if (cd.contents !== undefined) {
      if (!Array.isArray(cd.contents)) return `${at}.custom_data.contents must be an array.`;
      for (let j = 0; j < cd.contents.length; j++) {
        const c: unknown = cd.contents[j];
        const cat = `${at}.custom_data.contents[${j}]`;
        if (!isObject(c)) return `${cat} must be an object.`;
        if (c.item_price !== undefined && !(typeof c.item_price === 'string' && DECIMAL_STRING.test(c.item_price))) {
          return `${cat}.item_price must be a string holding a decimal number.`;
        }
        if (c.quantity !== undefined && !Number.isInteger(c.quantity)) return `${cat}.quantity must be an integer.`;
        if (c.id !== undefined && typeof c.id !== 'string') return `${cat}.id must be a string.`;
      }
    }
  }
  return null;
}

function authError(req: SimRequest): SimReply | null {
  const auth = firstValue(req.headers.authorization);
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  return token === '' || isRevokedCredential(token) ? plainError(401, PINTEREST_CODE.authFailed, 'Authentication failed.') : null;
}

/** GET /v5/ad_accounts/{ad_account_id}: the ad account, read-only (`matchkey check`). */
function handleAdAccountLookup(req: SimRequest): SimReply {
  const denied = authError(req);
  if (denied) return denied;
  const id = req.params.adAccountId ?? '';
  if (isUnknownId(id)) return plainError(404, PINTEREST_CODE.invalid, `Ad account not found: ${id}`);
  return { status: 200, body: { id, name: 'Simulated ad account', currency: 'USD' }, accepted: 0, rejected: 0 };
}

function handleEvents(req: SimRequest, ctx: HandleContext): SimReply {
  const denied = authError(req);
  if (denied) return denied;
  const test = firstValue(req.query.test as string | string[] | undefined);
  if (test !== undefined && test !== 'true' && test !== 'false') return plainError(400, PINTEREST_CODE.invalid, 'Invalid query parameter: test must be true or false.');
  const body = req.body;
  if (!isObject(body) || !Array.isArray(body.data)) return plainError(400, PINTEREST_CODE.invalid, 'Invalid request body: data is required.');
  const data = body.data;
  if (data.length === 0 || data.length > PINTEREST_MAX_EVENTS) {
    return { ...plainError(400, PINTEREST_CODE.invalid, `Invalid request body: data must hold 1 to ${PINTEREST_MAX_EVENTS} events.`), rejected: data.length };
  }
  const events: EventStatus[] = new Array(data.length);
  let processed = 0;
  for (let i = 0; i < data.length; i++) {
    let problem = checkEvent(data[i], i);
    if (!problem && ctx.rejectEvent?.((data[i] as { event_id?: string }).event_id)) problem = `${`data[${i}]`} was rejected by the simulator (reject_events).`;
    if (problem) {
      events[i] = { status: 'failed', error_message: problem, warning_message: null };
    } else {
      events[i] = { status: 'processed', error_message: null, warning_message: null };
      processed++;
    }
  }
  if (processed === data.length) {
    // Events that pass the per-event checks are held against the published contract
    // (src/platforms/pinterest/contract/events.schema.json): a body outside it is refused as a whole, 400 {code, message}.
    const violation = pinterestEventsContract.check(body)[0];
    if (violation) {
      const what = violation.kind === 'unknown_field' ? `${violation.path} is not a valid field` : violation.message;
      return { ...plainError(400, PINTEREST_CODE.invalid, `Invalid request body: ${what}.`), rejected: data.length };
    }
  }
  const response = { num_events_received: data.length, num_events_processed: processed, events };
  if (processed === data.length) return { status: 200, body: response, accepted: processed, rejected: 0 };
  return {
    status: 422,
    body: { code: PINTEREST_CODE.notAllProcessed, message: 'Not all events were processed successfully.', details: response },
    accepted: processed,
    rejected: data.length - processed,
  };
}

export const pinterestSimulator: PlatformSimulator = {
  name: 'pinterest',
  routes: [
    { url: '/v5/ad_accounts/:adAccountId/events', upload: true, handle: handleEvents },
    { url: '/v5/ad_accounts/:adAccountId', method: 'GET', upload: false, handle: handleAdAccountLookup },
  ],
  eventIds: dataEventIds,
  eventCount: dataEventCount,
  rateLimited() {
    return plainError(429, PINTEREST_CODE.rateLimited, 'Rate limit exceeded. Please wait before making more requests.');
  },
  serverError() {
    return plainError(503, PINTEREST_CODE.rampedDown, 'Endpoint temporarily unavailable. Please retry later.');
  },
};
