import { EVENT_NAME_TABLE, type StandardEventName } from '../../event/names.js';
import type { CanonicalItem } from '../../event/schema.js';
import type { HashedEvent, HashedUser } from '../../identity/types.js';
import { withBaseUrl, type PlatformRequest } from '../types.js';
import { isTikTokTestMode, type TikTokSettings } from './settings.js';

// TikTok Events API 2.0 request (./README.md). Pure: a batch of HashedEvents + settings → one POST.

const TRACK_URL = 'https://business-api.tiktok.com/open_api/v1.3/event/track/';

export interface TikTokUser {
  email?: string[];
  phone?: string[];
  external_id?: string[];
  first_name?: string;
  last_name?: string;
  zip_code?: string;
  city?: string;
  state?: string;
  country?: string;
  ttclid?: string;
  ttp?: string;
  ip?: string;
  user_agent?: string;
}

export interface TikTokContent {
  content_id: string;
  content_type: string;
  content_name?: string;
  content_category?: string;
  price?: number;
  quantity?: number;
  brand?: string;
}

export interface TikTokEvent {
  event: string;
  event_time: number;
  event_id: string;
  user: TikTokUser;
  page?: { url?: string; referrer?: string };
  properties?: Record<string, unknown>;
  limited_data_use: boolean;
}

export interface TikTokRequestBody {
  event_source: 'web';
  event_source_id: string;
  partner_name?: string;
  test_event_code?: string;
  data: TikTokEvent[];
}

/** Standard names from the table of src/event/names.ts; any other name is a custom event and is sent as it is. */
export function tiktokEventName(canonical: string): string {
  return Object.hasOwn(EVENT_NAME_TABLE.tiktok, canonical)
    ? (EVENT_NAME_TABLE.tiktok[canonical as StandardEventName] ?? canonical)
    : canonical;
}

export function tiktokSkipReason(event: HashedEvent): string | null {
  // Every request goes to the pixel as `event_source: "web"`; app, offline and CRM events belong to other TikTok
  // event sources with their own ids (./README.md), which this destination does not configure.
  if (event.action_source !== 'website') return 'not_a_web_event';
  return null;
}

export function buildTikTokRequest(events: HashedEvent[], settings: TikTokSettings): PlatformRequest {
  const data = new Array<TikTokEvent>(events.length);
  for (let i = 0; i < events.length; i++) data[i] = toTikTokEvent(events[i]!);

  const body: TikTokRequestBody = { event_source: 'web', event_source_id: settings.pixel_code, data };
  if (settings.partner_name) body.partner_name = settings.partner_name;
  if (isTikTokTestMode(settings)) body.test_event_code = settings.test_event_code;
  return {
    method: 'POST',
    url: withBaseUrl(TRACK_URL, settings.base_url),
    headers: { 'content-type': 'application/json', 'access-token': settings.access_token },
    body,
  };
}

function toTikTokEvent(event: HashedEvent): TikTokEvent {
  const out: TikTokEvent = {
    event: tiktokEventName(event.event_name),
    event_time: event.event_time,
    event_id: event.event_id,
    user: toUser(event.user),
    limited_data_use: event.consent.limited_data_use,
  };
  if (event.event_source_url || event.referrer_url) {
    const page: { url?: string; referrer?: string } = {};
    if (event.event_source_url) page.url = event.event_source_url;
    if (event.referrer_url) page.referrer = event.referrer_url;
    out.page = page;
  }
  const properties = toProperties(event);
  if (properties) out.properties = properties;
  return out;
}

function toUser(u: HashedUser): TikTokUser {
  const out: TikTokUser = {};
  if (u.em?.length) out.email = u.em;
  // TikTok hashes the phone in E.164 *with* the `+` (segmentio/action-destinations tiktok-conversions `formatPhone`),
  // unlike Meta and Pinterest.
  if (u.ph_e164?.length) out.phone = u.ph_e164;
  if (u.external_id?.length) out.external_id = u.external_id;
  // Names and zip: SHA-256 of trim+lowercase; city/state/country go unhashed (README "Identity fields").
  if (u.fn) out.first_name = u.fn;
  if (u.ln) out.last_name = u.ln;
  if (u.zp) out.zip_code = u.zp;
  const geo = u.geo;
  if (geo) {
    if (geo.city) out.city = geo.city;
    if (geo.state) out.state = geo.state;
    if (geo.country) out.country = geo.country;
  }
  if (u.ttclid) out.ttclid = u.ttclid;
  if (u.ttp) out.ttp = u.ttp;
  if (u.client_ip_address) out.ip = u.client_ip_address;
  if (u.client_user_agent) out.user_agent = u.client_user_agent;
  return out;
}

function toProperties(event: HashedEvent): Record<string, unknown> | undefined {
  const c = event.commerce;
  const extra = event.custom_data;
  if (!c && !extra) return undefined;
  // Caller's custom properties first, so a stray `value` in custom_data never overrides the commerce value.
  const out: Record<string, unknown> = extra ? { ...extra } : {};
  if (c) {
    if (c.value !== undefined) out.value = c.value;
    if (c.currency) out.currency = c.currency;
    if (c.order_id) out.order_id = c.order_id;
    // The standard-events table names the search term `search_string` (ads.tiktok.com/help/article/supported-standard-events).
    if (c.search_string) out.search_string = c.search_string;
    const items = c.items;
    const contentType = c.content_type ?? 'product';
    if (items && items.length > 0) {
      const contents = new Array<TikTokContent>(items.length);
      let count = 0;
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        contents[i] = toContent(item, contentType);
        count += item.quantity ?? 1;
      }
      out.contents = contents;
      out.content_type = contentType;
      out.num_items = count;
    } else if (c.content_type) {
      out.content_type = c.content_type;
    }
  }
  return hasOwnKeys(out) ? out : undefined;
}

function toContent(item: CanonicalItem, contentType: string): TikTokContent {
  const out: TikTokContent = { content_id: item.id, content_type: contentType };
  if (item.name) out.content_name = item.name;
  if (item.category) out.content_category = item.category;
  if (item.price !== undefined) out.price = item.price;
  if (item.quantity !== undefined) out.quantity = item.quantity;
  if (item.brand) out.brand = item.brand;
  return out;
}

function hasOwnKeys(o: Record<string, unknown>): boolean {
  for (const _ in o) return true;
  return false;
}
