import { EVENT_NAME_TABLE, type StandardEventName } from '../../event/names.js';
import type { CanonicalItem } from '../../event/schema.js';
import type { HashedEvent, HashedUser } from '../../identity/types.js';
import { withBaseUrl, type PlatformRequest } from '../types.js';
import { isPinterestTestMode, type PinterestSettings } from './settings.js';

// Pinterest Conversions API v5 request (./README.md; github.com/pinterest/api-description v5/openapi.json). Pure: a
// batch of HashedEvents + settings → one POST.

const API = 'https://api.pinterest.com';

/** Every hashed key is an ARRAY of SHA-256 hex; ip, user agent and click id are plain strings (./README.md). */
export interface PinterestUserData {
  em?: string[];
  ph?: string[];
  fn?: string[];
  ln?: string[];
  ge?: string[];
  db?: string[];
  ct?: string[];
  st?: string[];
  zp?: string[];
  country?: string[];
  external_id?: string[];
  client_ip_address?: string;
  client_user_agent?: string;
  click_id?: string;
}

export interface PinterestContent {
  id: string;
  item_price?: string;
  quantity?: number;
  item_name?: string;
  item_category?: string;
  item_brand?: string;
}

export interface PinterestCustomData {
  currency?: string;
  value?: string;
  content_ids?: string[];
  contents?: PinterestContent[];
  num_items?: number;
  order_id?: string;
  search_string?: string;
  opt_out_type?: string;
}

export interface PinterestEvent {
  event_name: string;
  action_source: 'web' | 'offline';
  event_time: number;
  event_id: string;
  event_source_url?: string;
  partner_name?: string;
  user_data: PinterestUserData;
  custom_data?: PinterestCustomData;
}

/** Pinterest's event names are a fixed enum: the table of src/event/names.ts, and `custom` for everything else. */
export function pinterestEventName(canonical: string): string {
  return Object.hasOwn(EVENT_NAME_TABLE.pinterest, canonical)
    ? (EVENT_NAME_TABLE.pinterest[canonical as StandardEventName] ?? 'custom')
    : 'custom';
}

export function pinterestSkipReason(event: HashedEvent): string | null {
  // Pinterest splits app events by OS (app_android / app_ios) and wants device fields the canonical event lacks.
  if (event.action_source === 'app') return 'app_event_unsupported';
  // user_data needs em, hashed_maids, or client_ip_address + client_user_agent (./README.md), else the event is
  // refused.
  const u = event.user;
  if (!u.em?.length && !(u.client_ip_address && u.client_user_agent)) return 'no_match_key';
  return null;
}

export function buildPinterestRequest(events: HashedEvent[], settings: PinterestSettings): PlatformRequest {
  const data = new Array<PinterestEvent>(events.length);
  for (let i = 0; i < events.length; i++) data[i] = toPinterestEvent(events[i]!, settings.partner_name);
  const path = `${API}/v5/ad_accounts/${encodeURIComponent(settings.ad_account_id)}/events${isPinterestTestMode(settings) ? '?test=true' : ''}`;
  return {
    method: 'POST',
    url: withBaseUrl(path, settings.base_url),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.access_token}` },
    body: { data },
  };
}

function toPinterestEvent(event: HashedEvent, partnerName: string | undefined): PinterestEvent {
  const out: PinterestEvent = {
    event_name: pinterestEventName(event.event_name),
    // website → web; every other non-app source (store, phone, email, chat, …) is an offline conversion.
    action_source: event.action_source === 'website' ? 'web' : 'offline',
    event_time: event.event_time,
    event_id: event.event_id,
    user_data: toUserData(event.user),
  };
  if (event.event_source_url) out.event_source_url = event.event_source_url;
  if (partnerName) out.partner_name = partnerName;
  const custom = toCustomData(event);
  if (custom) out.custom_data = custom;
  return out;
}

function toUserData(u: HashedUser): PinterestUserData {
  const out: PinterestUserData = {};
  if (u.em?.length) out.em = u.em;
  if (u.ph?.length) out.ph = u.ph;
  if (u.fn) out.fn = [u.fn];
  if (u.ln) out.ln = [u.ln];
  // Pinterest knows a third gender, `n` (./README.md), so it gets its own variant.
  if (u.ge_pinterest) out.ge = [u.ge_pinterest];
  if (u.db) out.db = [u.db];
  if (u.ct) out.ct = [u.ct];
  if (u.st) out.st = [u.st];
  if (u.zp) out.zp = [u.zp];
  if (u.country) out.country = [u.country];
  if (u.external_id?.length) out.external_id = u.external_id;
  if (u.client_ip_address) out.client_ip_address = u.client_ip_address;
  if (u.client_user_agent) out.client_user_agent = u.client_user_agent;
  if (u.epik) out.click_id = u.epik;
  return out;
}

function toCustomData(event: HashedEvent): PinterestCustomData | undefined {
  const c = event.commerce;
  const ldp = event.consent.limited_data_use;
  if (!c && !ldp) return undefined;
  const out: PinterestCustomData = {};
  let filled = false;
  if (c) {
    if (c.currency) {
      out.currency = c.currency;
      filled = true;
    }
    // Pinterest wants money as a STRING (`"72.39"`, github.com/pinterest/api-description v5/openapi.json). The amount
    // keeps exactly the digits it was given and the currency's own precision (JPY has none, BHD three) — a fixed
    // 2-decimal form would invent or drop digits.
    if (c.value !== undefined) {
      out.value = decimalString(c.value);
      filled = true;
    }
    const items = c.items;
    if (items && items.length > 0) {
      const ids = new Array<string>(items.length);
      const contents = new Array<PinterestContent>(items.length);
      let count = 0;
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        ids[i] = item.id;
        contents[i] = toContent(item);
        count += item.quantity ?? 1;
      }
      out.content_ids = ids;
      out.contents = contents;
      out.num_items = count;
      filled = true;
    }
    if (c.order_id) {
      out.order_id = c.order_id;
      filled = true;
    }
    if (c.search_string) {
      out.search_string = c.search_string;
      filled = true;
    }
  }
  // Limited data processing (consent, docs/BROWSER.md): Pinterest's opt_out_type LDP.
  if (ldp) {
    out.opt_out_type = 'LDP';
    filled = true;
  }
  return filled ? out : undefined;
}

function toContent(item: CanonicalItem): PinterestContent {
  const out: PinterestContent = { id: item.id };
  if (item.price !== undefined) out.item_price = decimalString(item.price);
  if (item.quantity !== undefined) out.quantity = item.quantity;
  if (item.name) out.item_name = item.name;
  if (item.category) out.item_category = item.category;
  if (item.brand) out.item_brand = item.brand;
  return out;
}

/**
 * A number as a plain decimal string: Pinterest parses `value` / `item_price` as a decimal ("72.39", the
 * ConversionEvents custom_data example in pinterest/api-description v5/openapi.json), and String(n) switches to
 * exponent notation below 1e-6 and from 1e21 ("1e-7", "1e+21"), which is no decimal.
 */
export function decimalString(n: number): string {
  const s = String(n);
  if (!s.includes('e')) return s;
  // From 1e21 up every double is an integer: BigInt prints all its digits.
  if (Math.abs(n) >= 1) return BigInt(n).toString();
  const [mantissa = '', exponent = '0'] = s.split('e');
  const digits = Math.min(100, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
  const fixed = n.toFixed(digits).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}
