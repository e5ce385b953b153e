import { randomBytes } from 'node:crypto';
import type { HashedUser } from '../../identity/types.js';

// Server-set first-party cookies (docs/BROWSER.md "First-party cookies set by the gateway"). Safari caps cookies
// written with document.cookie at 7 days; a cookie in a Set-Cookie response of the shop's own site is not capped that
// way. So /collect answers with Set-Cookie for every identifier it has seen in the event: the platforms' browser ids
// and click ids under the names their pixels (and matchkey.js) read, and Matchkey's own visitor id.
//
// Only with marketing consent (the caller passes nothing otherwise). Never HttpOnly for a cookie a pixel or
// matchkey.js reads; Secure and SameSite=Lax always; Domain = `cookie_domain` when the gateway is served from a
// subdomain of the shop (collect.shop.example → Domain=shop.example), else host-only.

const DAY_S = 86_400;
/** Meta documents 90 days for _fbp/_fbc; matchkey.js keeps click ids as long, and so does the UET tag its msclkid. */
const CLICK_LIFETIME_S = 90 * DAY_S;
/** Matchkey's visitor id, like the UET tag's visitor id cookie: 390 days. */
const VISITOR_LIFETIME_S = 390 * DAY_S;
export const VISITOR_COOKIE = '_mk_vid';

interface CookieRule {
  field: keyof HashedUser;
  cookie: string;
  /** The value as the platform's pixel stores it. */
  value?(v: string): string;
}

/** HashedUser field → the cookie it lives in (the names matchkey.js and the Shopify pixel read back). */
const RULES: readonly CookieRule[] = [
  { field: 'fbp', cookie: '_fbp' },
  { field: 'fbc', cookie: '_fbc' },
  { field: 'ttp', cookie: '_ttp' },
  { field: 'ttclid', cookie: 'ttclid' },
  { field: 'epik', cookie: '_epik' },
  { field: 'gclid', cookie: '_mk_gclid' },
  { field: 'gbraid', cookie: '_mk_gbraid' },
  { field: 'wbraid', cookie: '_mk_wbraid' },
  { field: 'sccid', cookie: '_mk_sccid' },
  { field: 'scid', cookie: '_scid' },
  // The UET tag reads its click id from `_uetmsclkid` as `_uet<msclkid>`.
  { field: 'msclkid', cookie: '_uetmsclkid', value: (v) => `_uet${v}` },
  { field: 'rdt_cid', cookie: '_mk_rdt_cid' },
  { field: 'rdt_uuid', cookie: '_rdt_uuid' },
];

export interface FirstPartyCookieOptions {
  /** `sources.browser.cookie_domain`: the shop's registrable domain when the gateway runs on a subdomain of it. */
  domain?: string;
  /** The visitor id the browser already has (`_mk_vid` sent with the request), kept when well-formed. */
  visitorId?: string;
}

const VISITOR_ID = /^mkv_[0-9a-f]{32}$/;

/** The Set-Cookie header values for a consented browser event's identifiers. */
export function firstPartyCookies(user: HashedUser, opts: FirstPartyCookieOptions = {}): string[] {
  const attributes = `; Path=/${opts.domain ? `; Domain=${opts.domain}` : ''}; Secure; SameSite=Lax`;
  const out: string[] = [];
  for (const rule of RULES) {
    const raw = user[rule.field];
    if (typeof raw !== 'string' || raw.length === 0) continue;
    const value = rule.value ? rule.value(raw) : raw;
    out.push(`${rule.cookie}=${encodeURIComponent(value)}; Max-Age=${CLICK_LIFETIME_S}${attributes}`);
  }
  const visitor = opts.visitorId !== undefined && VISITOR_ID.test(opts.visitorId) ? opts.visitorId : `mkv_${randomBytes(16).toString('hex')}`;
  // Read by the gateway only, never by a pixel: HttpOnly.
  out.push(`${VISITOR_COOKIE}=${visitor}; Max-Age=${VISITOR_LIFETIME_S}${attributes}; HttpOnly`);
  return out;
}

/** One cookie's value from a Cookie request header. */
export function requestCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
