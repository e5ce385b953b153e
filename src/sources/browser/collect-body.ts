import { InputError } from '../../errors.js';
import { parseCanonicalEvent } from '../../event/parse.js';
import type { CanonicalEvent } from '../../event/schema.js';
import type { BrowserTokens } from './join-keys.js';

// The body of POST /collect: one canonical event (src/event/schema.ts), plus an optional `shopify` object carrying the
// checkout/cart token the Web Pixel sees — a join key for enrichment, never sent to a platform, so it is taken off
// before the event is validated. The server, not the body, says who the shopper is on the network: the body's
// client_ip_address and client_user_agent are replaced by what the request shows.

const TOKEN_FIELDS = ['checkout_token', 'cart_token'] as const;

export interface CollectBody {
  event: CanonicalEvent;
  tokens: BrowserTokens;
}

export function parseCollectBody(body: unknown, seen: { ip: string | undefined; userAgent: string | undefined }): CollectBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InputError('', 'expected one event object');
  const { shopify, ...rest } = body as Record<string, unknown>;
  const tokens: BrowserTokens = {};
  if (shopify !== undefined) {
    if (typeof shopify !== 'object' || shopify === null || Array.isArray(shopify)) throw new InputError('shopify', 'expected an object');
    for (const [name, value] of Object.entries(shopify)) {
      if (!(TOKEN_FIELDS as readonly string[]).includes(name)) throw new InputError(`shopify.${name}`, `unknown field "${name}"`, 'unknown_field');
      if (typeof value !== 'string' || value.length === 0 || value.length > 256) throw new InputError(`shopify.${name}`, 'expected a string of 1 to 256 characters');
      tokens[name as (typeof TOKEN_FIELDS)[number]] = value;
    }
  }
  const event = parseCanonicalEvent(rest);
  const user = { ...event.user };
  delete user.client_ip_address;
  delete user.client_user_agent;
  if (seen.ip !== undefined) user.client_ip_address = seen.ip;
  const ua = seen.userAgent?.slice(0, 1024);
  if (ua) user.client_user_agent = ua;
  return { event: { ...event, user }, tokens };
}
