import { orderEventId } from '../../event/event-id.js';
import { parseCanonicalEvent } from '../../event/parse.js';
import { toUnixSeconds, type CanonicalEvent, type CanonicalEventInput } from '../../event/schema.js';
import { normalizePhone } from '../../identity/phone.js';
import { isObject, money, str, type ShopifyAddress, type ShopifyOrder } from './order.js';

// Shopify `orders/paid` → one canonical `purchase` (README.md "Shopify"; canonical event: src/event/schema.ts). Pure:
// used by the webhook route and by `matchkey audit` on exported orders.
//
// Consent: `buyer_accepts_marketing` is the shopper's opt-in to the shop's EMAIL marketing ("Email me with news
// and offers"), not a decision about ad measurement; reading `false` as "no consent" would silently drop most
// purchases from every ad platform. A storefront consent banner (or the browser snippet) records the decision in the
// order's note attributes: `_matchkey_consent` = denied|false|no|0 denies, any other value grants. Without it the
// order carries no decision and ingest applies the configured `consent` policy (granted when none is configured).
// `_matchkey_ldu` = true|yes|1 asks for limited data use (Meta LDU, TikTok limited_data_use, Pinterest LDP).

export interface OrderMappingOptions {
  /** Region for phones written without a country code when the order carries no address country. */
  defaultCountry?: string;
}

/** Landing URL parameter → canonical user field (Snapchat's `ScCid` is the one whose name differs). */
const CLICK_ID_PARAMS = { fbclid: 'fbclid', ttclid: 'ttclid', epik: 'epik', gclid: 'gclid', gbraid: 'gbraid', wbraid: 'wbraid', ScCid: 'sccid', msclkid: 'msclkid', rdt_cid: 'rdt_cid' } as const;
/** Cookies a storefront copies into the order's note attributes → canonical user field. */
const COOKIE_ATTRIBUTES = { _fbc: 'fbc', _fbp: 'fbp', _ttp: 'ttp', _epik: 'epik', _ga: 'ga_client_id', _scid: 'scid', _uetmsclkid: 'msclkid', _rdt_uuid: 'rdt_uuid' } as const;
const DENIED = new Set(['denied', 'false', 'no', '0', 'deny', 'rejected']);
const GRANTED = new Set(['true', 'yes', '1']);

/** The canonical event input for a paid order (validated by `orderToEvent`). */
export function orderToEventInput(order: ShopifyOrder, opts: OrderMappingOptions = {}): CanonicalEventInput {
  const address = pickAddress(order);
  const attributes = noteAttributes(order);
  const clickIds = landingClickIds(order.landing_site);

  const user: NonNullable<CanonicalEventInput['user']> = {};
  const emails = distinct([order.email, order.contact_email, order.customer?.email].map((e) => clip(str(e), 512)));
  if (emails.length === 1) user.email = emails[0]!;
  else if (emails.length > 1) user.email = emails;
  const phone = firstPhone(order, address?.country_code ?? undefined, opts.defaultCountry);
  if (phone) user.phone = phone;
  setIf(user, 'first_name', clip(str(address?.first_name) ?? str(order.customer?.first_name), 256));
  setIf(user, 'last_name', clip(str(address?.last_name) ?? str(order.customer?.last_name), 256));
  setIf(user, 'street', clip(str(address?.address1), 512));
  setIf(user, 'city', clip(str(address?.city), 256));
  setIf(user, 'state', clip(str(address?.province_code), 256));
  setIf(user, 'zip', clip(str(address?.zip), 64));
  setIf(user, 'country', clip(str(address?.country_code), 128));
  setIf(user, 'external_id', clip(str(order.customer?.id), 512));
  // The shopper's own address as Shopify saw it at checkout — never the address of whoever called the webhook
  // (that is Shopify's servers, and sending it would attribute every order to one data-centre IP).
  setIf(user, 'client_ip_address', clip(str(order.browser_ip) ?? str(order.client_details?.browser_ip), 128));
  setIf(user, 'client_user_agent', clip(str(order.client_details?.user_agent), 1024));
  for (const [param, field] of Object.entries(CLICK_ID_PARAMS)) setIf(user, field, clip(clickIds.get(param), 1024));
  for (const [attribute, field] of Object.entries(COOKIE_ATTRIBUTES)) {
    const cookie = clip(str(attributes.get(attribute)), 1024);
    // The landing URL names the order's own click: a cookie only fills a click id the URL did not carry.
    if (cookie && !(field === 'msclkid' && user.msclkid)) user[field] = cookie;
  }

  const currency = str(order.currency);
  const commerce: NonNullable<CanonicalEventInput['commerce']> = { order_id: String(order.id) };
  const value = money(order.total_price);
  if (value !== undefined) commerce.value = value;
  if (currency && /^[A-Za-z]{3}$/.test(currency)) commerce.currency = currency;
  const items = lineItems(order);
  if (items.length > 0) {
    commerce.items = items;
    commerce.content_type = 'product';
  }

  const consentValue = str(attributes.get('_matchkey_consent'))?.toLowerCase();
  const lduValue = str(attributes.get('_matchkey_ldu'))?.toLowerCase();
  const input: CanonicalEventInput = {
    event_id: orderEventId(order.id),
    event_name: 'purchase',
    event_time: orderTime(order),
    action_source: 'website',
    user,
    commerce,
    // No consent attribute: the order says nothing, and ingest applies the shop's consent policy.
    consent:
      consentValue === undefined
        ? { limited_data_use: lduValue !== undefined && GRANTED.has(lduValue) }
        : { marketing: !DENIED.has(consentValue), limited_data_use: lduValue !== undefined && GRANTED.has(lduValue) },
  };
  const statusUrl = clip(str(order.order_status_url), 4096);
  if (statusUrl) input.event_source_url = statusUrl;
  const referrer = clip(str(order.referring_site), 4096);
  if (referrer) input.referrer_url = referrer;
  return input;
}

/** The validated purchase for a paid order. Throws InputError (naming the field) only for a payload no mapping can fix. */
export function orderToEvent(order: ShopifyOrder, opts: OrderMappingOptions = {}): CanonicalEvent {
  return parseCanonicalEvent(orderToEventInput(order, opts));
}

/**
 * Billing address when it has any content, else shipping (use country_code and province_code,
 * https://shopify.dev/docs/api/webhooks).
 */
function pickAddress(order: ShopifyOrder): ShopifyAddress | undefined {
  const usable = (a: ShopifyAddress | null | undefined): a is ShopifyAddress =>
    isObject(a) && [a.first_name, a.last_name, a.address1, a.city, a.zip, a.country_code].some((v) => str(v) !== undefined);
  if (usable(order.billing_address)) return order.billing_address;
  if (usable(order.shipping_address)) return order.shipping_address;
  return undefined;
}

/**
 * The first phone that parses as a valid number, in the order of `candidates` below. One order carries its phones in
 * several formats (E.164, `+1(502)-459-2181`, `555-625-1199` without a country code,
 * https://shopify.dev/docs/api/webhooks); a number without a country code is read in the region of the address it
 * belongs to. Returned as E.164. When none is valid, the first one is passed on unchanged so that the identity pass
 * reports it (PHONE_INVALID).
 */
function firstPhone(order: ShopifyOrder, orderCountry: string | undefined, defaultCountry: string | undefined): string | undefined {
  const fallbackRegion = orderCountry ?? str(order.customer?.default_address?.country_code) ?? defaultCountry;
  const candidates: [unknown, string | undefined][] = [
    [order.phone, fallbackRegion],
    [order.billing_address?.phone, str(order.billing_address?.country_code) ?? fallbackRegion],
    [order.shipping_address?.phone, str(order.shipping_address?.country_code) ?? fallbackRegion],
    [order.customer?.phone, fallbackRegion],
    [order.customer?.default_address?.phone, str(order.customer?.default_address?.country_code) ?? fallbackRegion],
  ];
  let first: string | undefined;
  for (const [raw, region] of candidates) {
    const text = clip(str(raw), 64);
    if (!text) continue;
    first ??= text;
    const regionCode = region && /^[A-Za-z]{2}$/.test(region) ? region.toUpperCase() : undefined;
    const parsed = normalizePhone(text, regionCode);
    if (parsed.ok) return parsed.e164;
  }
  return first;
}

function landingClickIds(landingSite: unknown): Map<string, string> {
  const found = new Map<string, string>();
  const text = str(landingSite);
  if (!text) return found;
  let url: URL;
  try {
    // landing_site is often a path (`/products/mug?fbclid=…`); the base only makes it parseable.
    url = new URL(text, 'https://shop.invalid');
  } catch {
    return found;
  }
  for (const param of Object.keys(CLICK_ID_PARAMS)) {
    // Click ids are case-sensitive and must not be re-encoded
    // (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc): URLSearchParams
    // decodes once.
    const value = str(url.searchParams.get(param));
    if (value) found.set(param, value);
  }
  return found;
}

function noteAttributes(order: ShopifyOrder): Map<string, unknown> {
  const found = new Map<string, unknown>();
  if (!Array.isArray(order.note_attributes)) return found;
  for (const attribute of order.note_attributes) {
    const name = isObject(attribute) ? str(attribute.name) : undefined;
    if (name && !found.has(name)) found.set(name, attribute.value);
  }
  return found;
}

function lineItems(order: ShopifyOrder): NonNullable<NonNullable<CanonicalEventInput['commerce']>['items']> {
  if (!Array.isArray(order.line_items)) return [];
  const items: NonNullable<NonNullable<CanonicalEventInput['commerce']>['items']> = [];
  for (const line of order.line_items.slice(0, 1000)) {
    if (!isObject(line)) continue;
    const id = clip(str(line.sku) ?? str(line.variant_id) ?? str(line.product_id) ?? str(line.id), 256);
    if (!id) continue;
    const item: (typeof items)[number] = { id };
    setIf(item, 'name', clip(str(line.title) ?? str(line.name), 512));
    setIf(item, 'brand', clip(str(line.vendor), 256));
    if (typeof line.quantity === 'number' && Number.isInteger(line.quantity) && line.quantity >= 0) item.quantity = line.quantity;
    const price = money(line.price);
    if (price !== undefined) item.price = price;
    items.push(item);
  }
  return items;
}

/** processed_at (when the payment was captured), else created_at; the webhook's arrival as the last resort. */
function orderTime(order: ShopifyOrder): number {
  for (const candidate of [order.processed_at, order.created_at]) {
    const text = str(candidate);
    const seconds = text ? toUnixSeconds(text) : undefined;
    if (seconds !== undefined) return seconds;
  }
  return Math.floor(Date.now() / 1000);
}

function clip(value: string | undefined, max: number): string | undefined {
  return value === undefined ? undefined : value.slice(0, max);
}

function distinct(values: (string | undefined)[]): string[] {
  const seen = new Map<string, string>();
  for (const v of values) if (v && !seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
  return [...seen.values()];
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
