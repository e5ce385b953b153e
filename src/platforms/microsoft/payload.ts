import { EVENT_NAME_TABLE, type StandardEventName } from '../../event/names.js';
import type { HashedEvent, HashedUser } from '../../identity/types.js';
import { withBaseUrl, type PlatformRequest } from '../types.js';
import type { MicrosoftSettings } from './settings.js';

// Microsoft Advertising UET Conversions API request (README.md). Pure: a batch of HashedEvents + settings → one POST.

const API = 'https://capi.uet.microsoft.com';

export interface MicrosoftUserData {
  em?: string;
  ph?: string;
  externalId?: string;
  clientIpAddress?: string;
  clientUserAgent?: string;
  msclkid?: string;
}

export interface MicrosoftItem {
  id: string;
  name?: string;
  quantity?: number;
  price?: number;
}

export interface MicrosoftCustomData {
  value?: number;
  currency?: string;
  transactionId?: string;
  itemIds?: string[];
  items?: MicrosoftItem[];
  searchTerm?: string;
}

export interface MicrosoftEvent {
  eventType: 'pageLoad' | 'custom';
  eventName?: string;
  eventId: string;
  eventTime: number;
  eventSourceUrl?: string;
  referrerUrl?: string;
  adStorageConsent: 'G' | 'D';
  userData: MicrosoftUserData;
  customData?: MicrosoftCustomData;
}

/** UET's event name for a canonical one; custom names go as they are (eventType "custom"). */
export function microsoftEventName(canonical: string): string {
  return Object.hasOwn(EVENT_NAME_TABLE.microsoft, canonical) ? (EVENT_NAME_TABLE.microsoft[canonical as StandardEventName] ?? canonical) : canonical;
}

export function microsoftSkipReason(event: HashedEvent): string | null {
  const u = event.user;
  // UET CAPI needs one user identifier: a hashed email or phone, an external id, a click id or an anonymous id.
  if (!u.em?.length && !u.ph_e164?.length && !u.external_id?.length && !u.msclkid) return 'no_match_key';
  return null;
}

export function buildMicrosoftRequest(events: HashedEvent[], settings: MicrosoftSettings): PlatformRequest {
  const data = new Array<MicrosoftEvent>(events.length);
  for (let i = 0; i < events.length; i++) data[i] = toMicrosoftEvent(events[i]!);
  return {
    method: 'POST',
    url: withBaseUrl(`${API}/v1/${encodeURIComponent(settings.tag_id)}/events`, settings.base_url),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.access_token}` },
    body: { data },
  };
}

function toMicrosoftEvent(event: HashedEvent): MicrosoftEvent {
  const name = microsoftEventName(event.event_name);
  const out: MicrosoftEvent = {
    eventType: name === 'pageLoad' ? 'pageLoad' : 'custom',
    eventId: event.event_id,
    eventTime: event.event_time,
    // Granted unless the shopper asked for limited data use: Microsoft then keeps the conversion without ad storage.
    adStorageConsent: event.consent.limited_data_use ? 'D' : 'G',
    userData: toUserData(event.user),
  };
  if (out.eventType === 'custom') out.eventName = name;
  if (event.event_source_url) out.eventSourceUrl = event.event_source_url;
  if (event.referrer_url) out.referrerUrl = event.referrer_url;
  const custom = toCustomData(event);
  if (custom) out.customData = custom;
  return out;
}

function toUserData(u: HashedUser): MicrosoftUserData {
  const out: MicrosoftUserData = {};
  // One value each: UET takes a single hashed email and phone (the first the shopper gave).
  if (u.em?.length) out.em = u.em[0]!;
  if (u.ph_e164?.length) out.ph = u.ph_e164[0]!;
  if (u.external_id?.length) out.externalId = u.external_id[0]!;
  if (u.client_ip_address) out.clientIpAddress = u.client_ip_address;
  if (u.client_user_agent) out.clientUserAgent = u.client_user_agent;
  if (u.msclkid) out.msclkid = u.msclkid;
  return out;
}

function toCustomData(event: HashedEvent): MicrosoftCustomData | undefined {
  const c = event.commerce;
  if (!c) return undefined;
  const out: MicrosoftCustomData = {};
  if (c.value !== undefined) out.value = c.value;
  if (c.currency) out.currency = c.currency;
  if (c.order_id) out.transactionId = c.order_id;
  if (c.items && c.items.length > 0) {
    out.itemIds = c.items.map((item) => item.id);
    out.items = c.items.map((item) => {
      const i: MicrosoftItem = { id: item.id };
      if (item.name) i.name = item.name;
      if (item.quantity !== undefined) i.quantity = item.quantity;
      if (item.price !== undefined) i.price = item.price;
      return i;
    });
  }
  if (c.search_string) out.searchTerm = c.search_string;
  return Object.keys(out).length > 0 ? out : undefined;
}
