import { createHmac } from 'node:crypto';
import { EVENT_NAME_TABLE, type StandardEventName } from '../../event/names.js';
import type { CanonicalItem } from '../../event/schema.js';
import type { HashedEvent, HashedUser } from '../../identity/types.js';
import { withBaseUrl, type PlatformRequest } from '../types.js';
import { isMetaTestMode, META_PARTNER_AGENT, type MetaSettings } from './settings.js';

// Meta Conversions API request (./README.md). Pure: a batch of HashedEvents + settings → one POST.

const GRAPH_API = 'https://graph.facebook.com';

export interface MetaUserData {
  em?: string[];
  ph?: string[];
  fn?: string;
  ln?: string;
  ge?: string;
  db?: string;
  ct?: string;
  st?: string;
  zp?: string;
  country?: string;
  external_id?: string[];
  client_ip_address?: string;
  client_user_agent?: string;
  fbc?: string;
  fbp?: string;
}

export interface MetaContent {
  id: string;
  quantity: number;
  item_price?: number;
  title?: string;
  brand?: string;
  category?: string;
}

export interface MetaServerEvent {
  event_name: string;
  event_time: number;
  event_id: string;
  action_source: string;
  event_source_url?: string;
  referrer_url?: string;
  user_data: MetaUserData;
  custom_data?: Record<string, unknown>;
  data_processing_options?: ['LDU'];
  data_processing_options_country?: 0;
  data_processing_options_state?: 0;
}

export interface MetaRequestBody {
  data: MetaServerEvent[];
  access_token: string;
  appsecret_proof?: string;
  test_event_code?: string;
  partner_agent: string;
}

/** Standard names from the table of src/event/names.ts; any other name is a custom event and is sent as it is. */
export function metaEventName(canonical: string): string {
  return Object.hasOwn(EVENT_NAME_TABLE.meta, canonical) ? (EVENT_NAME_TABLE.meta[canonical as StandardEventName] ?? canonical) : canonical;
}

/**
 * Meta requires client_user_agent and event_source_url on `website` events (./README.md "Website events without a
 * user agent").
 */
export function isIncompleteWebsiteEvent(event: HashedEvent): boolean {
  return event.action_source === 'website' && (!event.user.client_user_agent || !event.event_source_url);
}

export function metaSkipReason(event: HashedEvent, settings: MetaSettings): string | null {
  if (settings.incomplete_website_events === 'skip' && isIncompleteWebsiteEvent(event)) return 'incomplete_website_event';
  // "You must provide at least one of the user_data parameters": an empty user_data is a 400 for the whole batch.
  if (!hasAnyUserKey(event.user)) return 'no_match_key';
  return null;
}

function hasAnyUserKey(u: HashedUser): boolean {
  return Boolean(
    u.em?.length || u.ph?.length || u.external_id?.length || u.fn_meta || u.ln_meta || u.ge || u.db || u.ct || u.st || u.zp ||
      u.country || u.client_ip_address || u.client_user_agent || u.fbc || u.fbp,
  );
}

export function buildMetaRequest(events: HashedEvent[], settings: MetaSettings): PlatformRequest {
  const data = new Array<MetaServerEvent>(events.length);
  for (let i = 0; i < events.length; i++) data[i] = toServerEvent(events[i]!, settings);

  // access_token travels in the body rather than the query string so it never lands in URL logs (Meta accepts both).
  const body: MetaRequestBody = { data, access_token: settings.access_token, partner_agent: META_PARTNER_AGENT };
  if (settings.app_secret) body.appsecret_proof = createHmac('sha256', settings.app_secret).update(settings.access_token).digest('hex');
  if (isMetaTestMode(settings)) body.test_event_code = settings.test_event_code;

  const url = `${GRAPH_API}/${settings.api_version}/${encodeURIComponent(settings.pixel_id)}/events`;
  return {
    method: 'POST',
    url: withBaseUrl(url, settings.base_url),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
  };
}

function toServerEvent(event: HashedEvent, settings: MetaSettings): MetaServerEvent {
  const actionSource =
    settings.incomplete_website_events === 'send_as_other' && isIncompleteWebsiteEvent(event) ? 'other' : event.action_source;
  const out: MetaServerEvent = {
    event_name: metaEventName(event.event_name),
    event_time: event.event_time,
    event_id: event.event_id,
    action_source: actionSource,
    user_data: toUserData(event.user),
  };
  if (event.event_source_url) out.event_source_url = event.event_source_url;
  if (event.referrer_url) out.referrer_url = event.referrer_url;
  const custom = toCustomData(event);
  if (custom) out.custom_data = custom;
  if (event.consent.limited_data_use) {
    // Country/state 0 = "geolocate from the IP" (facebook/facebook-nodejs-business-sdk data_processing_options_*):
    // Meta decides where LDU applies.
    out.data_processing_options = ['LDU'];
    out.data_processing_options_country = 0;
    out.data_processing_options_state = 0;
  }
  return out;
}

function toUserData(u: HashedUser): MetaUserData {
  const out: MetaUserData = {};
  if (u.em?.length) out.em = u.em;
  if (u.ph?.length) out.ph = u.ph;
  // Meta's own name rule (punctuation and spaces removed,
  // https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters),
  // not the trim+lowercase variant the others use.
  if (u.fn_meta) out.fn = u.fn_meta;
  if (u.ln_meta) out.ln = u.ln_meta;
  if (u.ge) out.ge = u.ge;
  if (u.db) out.db = u.db;
  if (u.ct) out.ct = u.ct;
  if (u.st) out.st = u.st;
  if (u.zp) out.zp = u.zp;
  if (u.country) out.country = u.country;
  if (u.external_id?.length) out.external_id = u.external_id;
  if (u.client_ip_address) out.client_ip_address = u.client_ip_address;
  if (u.client_user_agent) out.client_user_agent = u.client_user_agent;
  if (u.fbc) out.fbc = u.fbc;
  if (u.fbp) out.fbp = u.fbp;
  return out;
}

function toCustomData(event: HashedEvent): Record<string, unknown> | undefined {
  const c = event.commerce;
  const extra = event.custom_data;
  if (!c && !extra) return undefined;
  // Caller's custom properties first, so a stray `value` in custom_data never overrides the commerce value.
  const out: Record<string, unknown> = extra ? { ...extra } : {};
  if (c) {
    if (c.value !== undefined) out.value = c.value;
    if (c.currency) out.currency = c.currency;
    if (c.order_id) out.order_id = c.order_id;
    if (c.search_string) out.search_string = c.search_string;
    const items = c.items;
    if (items && items.length > 0) {
      const ids = new Array<string>(items.length);
      const contents = new Array<MetaContent>(items.length);
      let count = 0;
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        ids[i] = item.id;
        contents[i] = toContent(item);
        count += item.quantity ?? 1;
      }
      out.content_ids = ids;
      out.contents = contents;
      out.content_type = c.content_type ?? 'product';
      out.num_items = count;
    } else if (c.content_type) {
      out.content_type = c.content_type;
    }
  }
  return hasOwnKeys(out) ? out : undefined;
}

function toContent(item: CanonicalItem): MetaContent {
  // `quantity` is required in Meta's contents (facebook/facebook-nodejs-business-sdk content.js); an item without one
  // counts once.
  const out: MetaContent = { id: item.id, quantity: item.quantity ?? 1 };
  if (item.price !== undefined) out.item_price = item.price;
  if (item.name) out.title = item.name;
  if (item.brand) out.brand = item.brand;
  if (item.category) out.category = item.category;
  return out;
}

function hasOwnKeys(o: Record<string, unknown>): boolean {
  for (const _ in o) return true;
  return false;
}
