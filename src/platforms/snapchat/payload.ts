import { EVENT_NAME_TABLE, type StandardEventName } from '../../event/names.js';
import type { HashedEvent, HashedUser } from '../../identity/types.js';
import { withBaseUrl, type PlatformRequest } from '../types.js';
import { isSnapchatTestMode, type SnapchatSettings } from './settings.js';

// Snapchat Conversions API v3 request (README.md). Pure: a batch of HashedEvents + settings → one POST.

const API = 'https://tr.snapchat.com';

export interface SnapchatUserData {
  em?: string[];
  ph?: string[];
  external_id?: string[];
  fn?: string;
  ln?: string;
  ge?: string;
  db?: string;
  ct?: string;
  st?: string;
  zp?: string;
  country?: string;
  client_ip_address?: string;
  client_user_agent?: string;
  sc_click_id?: string;
  sc_cookie1?: string;
}

export interface SnapchatContent {
  id: string;
  quantity?: string;
  item_price?: string;
  brand?: string;
}

export interface SnapchatCustomData {
  currency?: string;
  value?: string;
  content_ids?: string[];
  contents?: SnapchatContent[];
  num_items?: number;
  order_id?: string;
  search_string?: string;
}

export interface SnapchatEvent {
  event_name: string;
  event_time: number;
  event_id: string;
  action_source: 'WEB' | 'OFFLINE';
  event_source_url?: string;
  user_data: SnapchatUserData;
  custom_data?: SnapchatCustomData;
}

/** Snap's event names are a fixed enum; custom names and `lead` have no Snap name (null = not sent). */
export function snapchatEventName(canonical: string): string | null {
  return Object.hasOwn(EVENT_NAME_TABLE.snapchat, canonical) ? EVENT_NAME_TABLE.snapchat[canonical as StandardEventName] : null;
}

export function snapchatSkipReason(event: HashedEvent): string | null {
  // App events need Snap's app_data (extinfo, advertiser_tracking_enabled) and a Snap App id, which we do not have.
  if (event.action_source === 'app') return 'app_event_unsupported';
  // Limited data use: Snap's v3 reference names no field for it, so such events are not sent rather than sent plain.
  if (event.consent.limited_data_use) return 'limited_data_use_unsupported';
  const u = event.user;
  if (!u.em?.length && !u.ph?.length && !u.external_id?.length && !u.sccid && !u.scid && !(u.client_ip_address && u.client_user_agent)) return 'no_match_key';
  return null;
}

export function buildSnapchatRequest(events: HashedEvent[], settings: SnapchatSettings): PlatformRequest {
  const data = new Array<SnapchatEvent>(events.length);
  for (let i = 0; i < events.length; i++) data[i] = toSnapchatEvent(events[i]!);
  const path = `${API}/v3/${encodeURIComponent(settings.pixel_id)}/events${isSnapchatTestMode(settings) ? '/validate' : ''}?access_token=${encodeURIComponent(settings.access_token)}`;
  return { method: 'POST', url: withBaseUrl(path, settings.base_url), headers: { 'content-type': 'application/json' }, body: { data } };
}

function toSnapchatEvent(event: HashedEvent): SnapchatEvent {
  const out: SnapchatEvent = {
    event_name: snapchatEventName(event.event_name) as string,
    event_time: event.event_time,
    event_id: event.event_id,
    // website → WEB; every other non-app source is an offline conversion (Snap's Offline Events Guide).
    action_source: event.action_source === 'website' ? 'WEB' : 'OFFLINE',
    user_data: toUserData(event.user),
  };
  if (event.event_source_url) out.event_source_url = event.event_source_url;
  const custom = toCustomData(event);
  if (custom) out.custom_data = custom;
  return out;
}

function toUserData(u: HashedUser): SnapchatUserData {
  const out: SnapchatUserData = {};
  if (u.em?.length) out.em = u.em;
  // Snap: country code, no `+`, no leading 00 or trunk 0, digits only — the E.164 digits (`ph`), as Meta's.
  if (u.ph?.length) out.ph = u.ph;
  if (u.external_id?.length) out.external_id = u.external_id;
  if (u.fn) out.fn = u.fn;
  if (u.ln) out.ln = u.ln;
  if (u.ge) out.ge = u.ge;
  if (u.db) out.db = u.db;
  if (u.ct) out.ct = u.ct;
  if (u.st) out.st = u.st;
  if (u.zp) out.zp = u.zp;
  if (u.country) out.country = u.country;
  if (u.client_ip_address) out.client_ip_address = u.client_ip_address;
  if (u.client_user_agent) out.client_user_agent = u.client_user_agent;
  if (u.sccid) out.sc_click_id = u.sccid;
  if (u.scid) out.sc_cookie1 = u.scid;
  return out;
}

function toCustomData(event: HashedEvent): SnapchatCustomData | undefined {
  const c = event.commerce;
  if (!c) return undefined;
  const out: SnapchatCustomData = {};
  if (c.currency) out.currency = c.currency;
  // Money and quantities as strings, as in Snap's request example (`"value": "10"`, `"item_price": "5"`);
  // String(number) keeps the currency's own precision.
  if (c.value !== undefined) out.value = String(c.value);
  if (c.items && c.items.length > 0) {
    out.content_ids = c.items.map((item) => item.id);
    out.contents = c.items.map((item) => {
      const content: SnapchatContent = { id: item.id };
      if (item.quantity !== undefined) content.quantity = String(item.quantity);
      if (item.price !== undefined) content.item_price = String(item.price);
      if (item.brand) content.brand = item.brand;
      return content;
    });
    out.num_items = c.items.reduce((n, item) => n + (item.quantity ?? 1), 0);
  }
  if (c.order_id) out.order_id = c.order_id;
  if (c.search_string) out.search_string = c.search_string;
  return Object.keys(out).length > 0 ? out : undefined;
}
