import type { HashedEvent } from '../../identity/types.js';
import { withBaseUrl, type PlatformRequest } from '../types.js';
import { klaviyoMetricName } from './names.js';
import type { KlaviyoSettings } from './settings.js';

// Klaviyo Create Event (https://developers.klaviyo.com/en/reference/create_event): one event per request, JSON:API
// document. The profile is identified by RAW email / E.164 phone / external id — Klaviyo does not take hashes — read
// from the event's PlainContact.

const EVENTS_URL = 'https://a.klaviyo.com/api/events';
const JSON_API = 'application/vnd.api+json';

/** ISO-8601 to the second: Klaviyo truncates `time` to the second anyway. */
export function klaviyoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function defined<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function profileAttributes(event: HashedEvent): Record<string, unknown> {
  const contact = event.contact ?? {};
  const location = defined(contact.location ?? {});
  return defined({
    email: contact.email,
    phone_number: contact.phone_number,
    external_id: contact.external_id,
    first_name: contact.first_name,
    last_name: contact.last_name,
    location: Object.keys(location).length > 0 ? location : undefined,
  });
}

function properties(event: HashedEvent): Record<string, unknown> {
  const commerce = event.commerce;
  const items = commerce?.items?.map((item) =>
    defined({ product_id: item.id, product_name: item.name, category: item.category, brand: item.brand, quantity: item.quantity, item_price: item.price }),
  );
  // Custom properties first: the fields Matchkey owns (event_id, order_id, items) are never overwritten by them.
  return defined({
    ...(event.custom_data ?? {}),
    event_id: event.event_id,
    order_id: commerce?.order_id,
    items,
    search_string: commerce?.search_string,
  });
}

export function klaviyoEventDocument(event: HashedEvent): Record<string, unknown> {
  const metric = klaviyoMetricName(event.event_name);
  const attributes = defined({
    properties: properties(event),
    time: klaviyoTime(event.event_time),
    value: event.commerce?.value,
    value_currency: event.commerce?.currency,
    // Klaviyo records only the first event per profile+metric+unique_id: event_id makes retries idempotent.
    unique_id: event.event_id,
    metric: { data: { type: 'metric', attributes: { name: metric } } },
    profile: { data: { type: 'profile', attributes: profileAttributes(event) } },
  });
  return { data: { type: 'event', attributes } };
}

export function buildKlaviyoRequest(events: HashedEvent[], settings: KlaviyoSettings): PlatformRequest {
  const [event] = events;
  if (!event || events.length !== 1) throw new Error(`klaviyo takes exactly one event per request, got ${events.length}`);
  return {
    method: 'POST',
    url: withBaseUrl(EVENTS_URL, settings.base_url),
    headers: {
      Authorization: `Klaviyo-API-Key ${settings.api_key}`,
      revision: settings.revision,
      'Content-Type': JSON_API,
      Accept: JSON_API,
    },
    body: klaviyoEventDocument(event),
  };
}
