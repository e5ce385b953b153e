import type { CanonicalItem } from '../../event/schema.js';
import { sha256Hex } from '../../identity/hash.js';
import type { HashedEvent, HashedUser } from '../../identity/types.js';
import { withBaseUrl, type PlatformRequest } from '../types.js';
import { ga4EventName, isValidGa4Name } from './names.js';
import { isGa4TestMode, type Ga4Settings } from './settings.js';

// GA4 Measurement Protocol request builder. Wire facts: the Measurement Protocol reference
// (https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference), user-provided data
// (https://developers.google.com/analytics/devguides/collection/ga4/uid-data) and the collection limits
// (https://support.google.com/analytics/answer/9267744), all checked 2026-12-04. GA4 answers 2xx to anything it
// receives and silently drops what breaks a limit, so every limit is enforced here, before sending.

export const GA4_LIMITS = {
  /** events[] per request. Matchkey sends one per request (client_id is per request, see index.ts). */
  eventsPerRequest: 25,
  paramsPerEvent: 25,
  paramNameLength: 40,
  /** String parameter values; page_location, page_referrer and page_title have their own (below). */
  paramValueLength: 100,
  pageLocationLength: 1000,
  pageReferrerLength: 420,
  itemsPerEvent: 200,
  userIdLength: 256,
  /** Events may be backdated by at most 72 hours (timestamp_micros). */
  maxAgeSec: 72 * 3600,
} as const;

/** Starts every stand-in client_id (ga4ClientId). */
export const GA4_STAND_IN_PREFIX = 'mk.';

const HOSTS = { global: 'https://www.google-analytics.com', eu: 'https://region1.google-analytics.com' } as const;

export interface Ga4Item {
  item_id: string;
  item_name?: string;
  item_brand?: string;
  item_category?: string;
  price?: number;
  quantity?: number;
}

type ParamValue = string | number | boolean | Ga4Item[];

export interface Ga4Event {
  name: string;
  params: Record<string, ParamValue>;
}

export interface Ga4Address {
  sha256_first_name?: string;
  sha256_last_name?: string;
  sha256_street?: string;
  city?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

export interface Ga4UserData {
  sha256_email_address?: string[];
  sha256_phone_number?: string[];
  address?: Ga4Address[];
}

export interface Ga4RequestBody {
  client_id: string;
  user_id?: string;
  timestamp_micros: number;
  user_data?: Ga4UserData;
  consent: { ad_user_data: 'GRANTED' | 'DENIED'; ad_personalization: 'GRANTED' | 'DENIED' };
  ip_override?: string;
  validation_behavior?: 'RELAXED' | 'ENFORCE_RECOMMENDATIONS';
  events: Ga4Event[];
}

/** Parameters Matchkey sets itself: custom_data cannot override them. */
const OWN_PARAMS = new Set(['transaction_id', 'value', 'currency', 'items', 'search_term', 'page_location', 'page_referrer', 'session_id', 'engagement_time_msec']);

export function ga4SkipReason(event: HashedEvent): string | null {
  // An app event belongs to a Firebase app stream (app_instance_id + firebase_app_id), not to this web stream.
  if (event.action_source === 'app') return 'app_event_needs_app_stream';
  if (ga4EventName(event.event_name) === null) return 'no_ga4_event_name';
  return null;
}

/**
 * The client id GA4 knows the shopper by (the `_ga` cookie), else a stand-in: stable per customer (from the hashed
 * external_id) or per event, marked `mk.` so it is told apart from a real one in reports, exports and coverage. With a
 * stand-in, GA4 counts a new user and cannot attribute the event (diagnostics: GA4_NO_CLIENT_ID).
 */
export function ga4ClientId(event: HashedEvent): { id: string; standIn: boolean } {
  const real = event.user.ga_client_id;
  if (real) return { id: real, standIn: false };
  const seed = event.user.external_id?.[0] ?? sha256Hex(`matchkey:${event.event_id}`);
  return { id: `${GA4_STAND_IN_PREFIX}${Number.parseInt(seed.slice(0, 8), 16)}.${event.event_time}`, standIn: true };
}

export function ga4Url(settings: Ga4Settings): string {
  const path = isGa4TestMode(settings) ? '/debug/mp/collect' : '/mp/collect';
  const query = `?measurement_id=${encodeURIComponent(settings.measurement_id)}&api_secret=${encodeURIComponent(settings.api_secret)}`;
  return withBaseUrl(`${HOSTS[settings.region]}${path}${query}`, settings.base_url);
}

/** One event per request (index.ts maxBatch): the request-level client_id, user and consent belong to that event. */
export function buildGa4Request(events: HashedEvent[], settings: Ga4Settings): PlatformRequest {
  const event = events[0]!;
  const body: Ga4RequestBody = {
    client_id: ga4ClientId(event).id,
    timestamp_micros: event.event_time * 1_000_000,
    consent: {
      // Events reach a platform only with marketing consent (src/delivery/plan.ts); limited data use withdraws
      // personalization, as Meta's LDU and TikTok's limited_data_use do.
      ad_user_data: 'GRANTED',
      ad_personalization: event.consent.limited_data_use ? 'DENIED' : 'GRANTED',
    },
    events: [toGa4Event(event)],
  };
  const userId = event.user.external_id?.[0];
  if (userId) body.user_id = userId.slice(0, GA4_LIMITS.userIdLength);
  const userData = toUserData(event.user);
  if (userData) body.user_data = userData;
  if (event.user.client_ip_address) body.ip_override = event.user.client_ip_address;
  if (isGa4TestMode(settings)) body.validation_behavior = 'ENFORCE_RECOMMENDATIONS';
  return { method: 'POST', url: ga4Url(settings), headers: { 'content-type': 'application/json' }, body };
}

export function toGa4Event(event: HashedEvent): Ga4Event {
  const params: Record<string, ParamValue> = {};
  const c = event.commerce;
  if (c) {
    if (c.order_id) params.transaction_id = clip(c.order_id, GA4_LIMITS.paramValueLength);
    if (c.value !== undefined) params.value = c.value;
    if (c.currency) params.currency = c.currency;
    if (c.search_string) params.search_term = clip(c.search_string, GA4_LIMITS.paramValueLength);
    if (c.items && c.items.length > 0) params.items = c.items.slice(0, GA4_LIMITS.itemsPerEvent).map(toItem);
  }
  if (event.event_source_url) params.page_location = clip(event.event_source_url, GA4_LIMITS.pageLocationLength);
  if (event.referrer_url) params.page_referrer = clip(event.referrer_url, GA4_LIMITS.pageReferrerLength);
  const session = event.user.ga_session_id;
  if (session) {
    // session_id and engagement_time_msec are what attach an event to the visit and show it in Realtime
    // (Measurement Protocol "Send events": "In order for user activity to display in reports…").
    params.session_id = session;
    params.engagement_time_msec = 1;
  }
  const extra = event.custom_data;
  if (extra) {
    for (const [key, value] of Object.entries(extra)) {
      if (Object.keys(params).length >= GA4_LIMITS.paramsPerEvent) break;
      if (OWN_PARAMS.has(key) || !isValidGa4Name(key, GA4_LIMITS.paramNameLength)) continue;
      const v = customValue(value);
      if (v !== undefined) params[key] = v;
    }
  }
  return { name: ga4EventName(event.event_name) ?? event.event_name, params };
}

function customValue(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'string') return clip(value, GA4_LIMITS.paramValueLength);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  return undefined;
}

function toItem(item: CanonicalItem): Ga4Item {
  const out: Ga4Item = { item_id: clip(item.id, GA4_LIMITS.paramValueLength) };
  if (item.name) out.item_name = clip(item.name, GA4_LIMITS.paramValueLength);
  if (item.brand) out.item_brand = clip(item.brand, GA4_LIMITS.paramValueLength);
  if (item.category) out.item_category = clip(item.category, GA4_LIMITS.paramValueLength);
  if (item.price !== undefined) out.price = item.price;
  if (item.quantity !== undefined) out.quantity = item.quantity;
  return out;
}

/**
 * User-provided data (uid-data): email with gmail/googlemail dots removed and phone as E.164 with `+` — the Google
 * Ads enhanced-conversions normalization the page names — names and street hashed; city, region, postal code and
 * country plain.
 */
function toUserData(u: HashedUser): Ga4UserData | undefined {
  const out: Ga4UserData = {};
  if (u.em_google?.length) out.sha256_email_address = u.em_google;
  if (u.ph_e164?.length) out.sha256_phone_number = u.ph_e164;
  const address: Ga4Address = {};
  if (u.fn) address.sha256_first_name = u.fn;
  if (u.ln) address.sha256_last_name = u.ln;
  if (u.street) address.sha256_street = u.street;
  const geo = u.geo;
  if (geo?.city?.trim()) address.city = geo.city;
  if (geo?.state?.trim()) address.region = geo.state.toLowerCase();
  if (geo?.zip?.trim()) address.postal_code = geo.zip;
  if (geo?.country && /^[A-Za-z]{2}$/.test(geo.country)) address.country = geo.country.toLowerCase();
  if (Object.keys(address).length > 0) out.address = [address];
  return Object.keys(out).length > 0 ? out : undefined;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max);
}
