import { orderEventId } from '../../event/event-id.js';
import type { HashedEvent } from '../../identity/types.js';
import { isObject, str, type ShopifyOrder } from '../shopify/order.js';

// The keys that tie a browser context to the order webhook arriving later (docs/BROWSER.md "Join keys"). Both legs
// derive them by the same rules, so they meet without talking to each other:
//   event:<event_id>   a browser purchase under its event_id, which the order names in a note attribute
//                      `_matchkey_event_id` (an id the theme drew at random). Never the order's own `order_<id>`:
//                      anyone can guess it, and an anonymous /collect request must not speak for the order (its
//                      consent, its click ids).
//   checkout:<token>   the Web Pixels checkout `token` = the order's `checkout_token` (Shopify documents the match).
//   cart:<token>       the storefront cart token = the order's `cart_token`.
//   fbp:<_fbp> / ttp:<_ttp>  the browser's own cookies, when the theme copies them into the order's note attributes.
// Listed most specific first: enrichment prefers a field from an earlier key.

const MAX_KEY_VALUE = 256;

export interface BrowserTokens {
  checkout_token?: string;
  cart_token?: string;
}

function key(kind: string, value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && v.length <= MAX_KEY_VALUE ? `${kind}:${v}` : undefined;
}

/**
 * A cart token as the order carries it. The storefront may know it as a GID (`gid://shopify/Cart/<token>?key=…`)
 * or with its `?key=` suffix; only the token itself is compared.
 */
export function normalizeCartToken(raw: string): string {
  const withoutQuery = raw.split('?')[0]!;
  return withoutQuery.slice(withoutQuery.lastIndexOf('/') + 1).trim();
}

function distinct(keys: (string | undefined)[]): string[] {
  return [...new Set(keys.filter((k): k is string => k !== undefined))];
}

/**
 * The keys a browser event is stored under. Every event is kept under the browser's cookies (one row per browser,
 * merged); a purchase also under its event_id; a checkout or cart event also under its token.
 */
export function browserJoinKeys(event: HashedEvent, tokens: BrowserTokens = {}): string[] {
  return distinct([
    event.event_name === 'purchase' && event.event_id_source !== 'generated' ? key('event', event.event_id) : undefined,
    key('checkout', tokens.checkout_token),
    tokens.cart_token === undefined ? undefined : key('cart', normalizeCartToken(tokens.cart_token)),
    key('fbp', event.user.fbp),
    key('ttp', event.user.ttp),
  ]);
}

function noteAttribute(order: ShopifyOrder, name: string): string | undefined {
  if (!Array.isArray(order.note_attributes)) return undefined;
  for (const attribute of order.note_attributes) {
    if (isObject(attribute) && str(attribute.name) === name) return str(attribute.value);
  }
  return undefined;
}

/** The keys to look an order's browser context up by, most specific first. */
export function orderJoinKeys(order: ShopifyOrder): string[] {
  const raw = order as ShopifyOrder & { checkout_token?: unknown; cart_token?: unknown };
  const cart = str(raw.cart_token);
  const named = noteAttribute(order, '_matchkey_event_id');
  return distinct([
    key('checkout', str(raw.checkout_token)),
    cart === undefined ? undefined : key('cart', normalizeCartToken(cart)),
    named === undefined || named.trim() === orderEventId(order.id) ? undefined : key('event', named),
    key('fbp', noteAttribute(order, '_fbp')),
    key('ttp', noteAttribute(order, '_ttp')),
  ]);
}
