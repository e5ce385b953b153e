import { EVENT_NAME_TABLE, type StandardEventName } from '../../event/names.js';
import type { HashedEvent, HashedUser } from '../../identity/types.js';
import { withBaseUrl, type PlatformRequest } from '../types.js';
import { isRedditTestMode, type RedditSettings } from './settings.js';

// Reddit Conversions API v3 request (README.md). Pure: a batch of HashedEvents + settings → one POST.

const API = 'https://ads-api.reddit.com';

export interface RedditUser {
  email?: string;
  phone_number?: string;
  external_id?: string;
  ip_address?: string;
  user_agent?: string;
  uuid?: string;
  data_processing_options?: { modes: ['LDU'] };
}

export interface RedditProduct {
  id: string;
  name?: string;
  category?: string;
}

export interface RedditMetadata {
  conversion_id: string;
  currency?: string;
  value?: number;
  item_count?: number;
  products?: RedditProduct[];
}

export interface RedditEvent {
  event_at: number;
  action_source: 'WEBSITE' | 'PHYSICAL_STORE' | 'OTHER';
  type: { tracking_type: string; custom_event_name?: string };
  click_id?: string;
  event_source_url?: string;
  user: RedditUser;
  metadata: RedditMetadata;
}

/** Reddit's tracking type for a canonical name; everything without one goes as CUSTOM. */
export function redditEventName(canonical: string): string {
  return Object.hasOwn(EVENT_NAME_TABLE.reddit, canonical) ? (EVENT_NAME_TABLE.reddit[canonical as StandardEventName] ?? 'CUSTOM') : 'CUSTOM';
}

export function redditSkipReason(event: HashedEvent): string | null {
  // App events need Reddit's app fields (idfa/aaid, app name) the canonical event does not carry.
  if (event.action_source === 'app') return 'app_event_unsupported';
  const u = event.user;
  if (!u.em_reddit?.length && !u.ph_e164?.length && !u.external_id?.length && !u.rdt_cid && !u.rdt_uuid && !(u.client_ip_address && u.client_user_agent)) {
    return 'no_match_key';
  }
  return null;
}

export function buildRedditRequest(events: HashedEvent[], settings: RedditSettings): PlatformRequest {
  const list = new Array<RedditEvent>(events.length);
  for (let i = 0; i < events.length; i++) list[i] = toRedditEvent(events[i]!);
  const data: { test_id?: string; events: RedditEvent[] } = { events: list };
  if (isRedditTestMode(settings) && settings.test_id) data.test_id = settings.test_id;
  return {
    method: 'POST',
    url: withBaseUrl(`${API}/api/v3/pixels/${encodeURIComponent(settings.pixel_id)}/conversion_events`, settings.base_url),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.access_token}` },
    body: { data },
  };
}

function toRedditEvent(event: HashedEvent): RedditEvent {
  const trackingType = redditEventName(event.event_name);
  const out: RedditEvent = {
    // Reddit wants milliseconds.
    event_at: event.event_time * 1000,
    action_source: event.action_source === 'website' ? 'WEBSITE' : event.action_source === 'physical_store' ? 'PHYSICAL_STORE' : 'OTHER',
    type: trackingType === 'CUSTOM' ? { tracking_type: 'CUSTOM', custom_event_name: event.event_name } : { tracking_type: trackingType },
    user: toUser(event),
    metadata: toMetadata(event),
  };
  if (event.user.rdt_cid) out.click_id = event.user.rdt_cid;
  if (event.event_source_url) out.event_source_url = event.event_source_url;
  return out;
}

function toUser(event: HashedEvent): RedditUser {
  const u: HashedUser = event.user;
  const out: RedditUser = {};
  // Reddit's email rule differs from everyone else's (`+alias` and punctuation of the local part removed).
  if (u.em_reddit?.length) out.email = u.em_reddit[0]!;
  if (u.ph_e164?.length) out.phone_number = u.ph_e164[0]!;
  if (u.external_id?.length) out.external_id = u.external_id[0]!;
  if (u.client_ip_address) out.ip_address = u.client_ip_address;
  if (u.client_user_agent) out.user_agent = u.client_user_agent;
  if (u.rdt_uuid) out.uuid = u.rdt_uuid;
  if (event.consent.limited_data_use) out.data_processing_options = { modes: ['LDU'] };
  return out;
}

function toMetadata(event: HashedEvent): RedditMetadata {
  // conversion_id is Reddit's deduplication key against the pixel: the shared event id.
  const out: RedditMetadata = { conversion_id: event.event_id };
  const c = event.commerce;
  if (!c) return out;
  if (c.currency) out.currency = c.currency;
  if (c.value !== undefined) out.value = c.value;
  if (c.items && c.items.length > 0) {
    out.item_count = c.items.reduce((n, item) => n + (item.quantity ?? 1), 0);
    out.products = c.items.map((item) => {
      const p: RedditProduct = { id: item.id };
      if (item.name) p.name = item.name;
      if (item.category) p.category = item.category;
      return p;
    });
  }
  return out;
}
