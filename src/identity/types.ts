import type { ACTION_SOURCES, CanonicalItem } from '../event/schema.js';
import type { Finding } from './findings.js';

/** SHA-256 as 64 lowercase hex characters. */
export type Sha256Hex = string;

/**
 * Every hashed variant any platform needs, produced in one pass by `hashOnce` (hash-once.ts).
 * Each normalized string is hashed once: when two variants normalize to the same string they share the hash.
 * A value that arrived already hashed is passed through (lowercased) into every variant of its field.
 * Invalid values are absent (dropped) and reported in `HashedEvent.findings`.
 */
export interface HashedUser {
  /** email: trim + lowercase. Meta `em`, TikTok `email`, Pinterest `em`. */
  em?: Sha256Hex[];
  /** email for Google: as `em`, and for gmail.com/googlemail.com all dots and any `+suffix` of the local part removed. */
  em_google?: Sha256Hex[];
  /** email for Reddit: as `em`, then the local part's `+alias` and every non-alphanumeric character removed. */
  em_reddit?: Sha256Hex[];
  /** phone: E.164 digits without `+`. Meta `ph`, Pinterest `ph`, Snapchat `ph`. */
  ph?: Sha256Hex[];
  /** phone: E.164 with `+`. TikTok `phone`, Google `hashedPhoneNumber`, Microsoft `ph`, Reddit `phone_number`. */
  ph_e164?: Sha256Hex[];
  /** first/last name: trim + lowercase. TikTok, Pinterest, Google addressInfo. */
  fn?: Sha256Hex;
  ln?: Sha256Hex;
  /**
   * first/last name, Meta rule: lowercase, whitespace and ASCII punctuation removed
   * (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters).
   */
  fn_meta?: Sha256Hex;
  ln_meta?: Sha256Hex;
  /** gender `f` or `m` (Meta, Pinterest). */
  ge?: Sha256Hex;
  /** gender `f`, `m` or `n` (Pinterest only knows `n`). */
  ge_pinterest?: Sha256Hex;
  /** date of birth YYYYMMDD. */
  db?: Sha256Hex;
  /** city: lowercase, only [a-z0-9]. Meta `ct`, Pinterest `ct`. */
  ct?: Sha256Hex;
  /** state: 2-letter code, lowercase. */
  st?: Sha256Hex;
  /** zip: US first 5 digits; elsewhere lowercase without spaces. */
  zp?: Sha256Hex;
  /** country: ISO-3166 alpha-2, lowercase. */
  country?: Sha256Hex;
  /** external_id: trim + lowercase. */
  external_id?: Sha256Hex[];
  /** street (Google addressInfo.hashedStreetAddress): trim + lowercase. */
  street?: Sha256Hex;

  /** Plain (not hashed) normalized geography: Google wants it unhashed, Klaviyo raw. Not identifying PII. */
  geo?: {
    city?: string; // trimmed, lowercase
    state?: string; // 2-letter code, uppercase (US/CA) or as given, trimmed
    zip?: string; // US: 5 digits; elsewhere as normalized for hashing
    country?: string; // alpha-2 uppercase
  };

  /** Sent as they are (never hashed). `client_ip_address` is validated, `:port` stripped. */
  client_ip_address?: string;
  client_user_agent?: string;
  /** Meta click id: given (syntax checked) or derived from fbclid as fb.1.<ms>.<fbclid>. */
  fbc?: string;
  fbp?: string;
  ttclid?: string;
  ttp?: string;
  /** Pinterest click id (`_epik` cookie or `?epik=`). */
  epik?: string;
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  /** Snapchat click id (`ScCid`) and Snap Pixel cookie (`_scid`): Snapchat `sc_click_id`, `sc_cookie1`. */
  sccid?: string;
  scid?: string;
  /** Microsoft Advertising click id: UET CAPI `userData.msclkid`. */
  msclkid?: string;
  /** Reddit click id (`rdt_cid`) and Reddit Pixel cookie (`_rdt_uuid`): Reddit `click_id`, `user.uuid`. */
  rdt_cid?: string;
  rdt_uuid?: string;
  /** GA4 client id `<random>.<seconds>`, read from the `_ga` cookie (./ga-cookies.ts). */
  ga_client_id?: string;
  /** GA4 session id (digits), read from the `_ga_<stream>` cookie. */
  ga_session_id?: string;
}

/**
 * The raw contact fields only Klaviyo needs (it takes email and phone unhashed). In memory it travels with the
 * event; the outbox seals it (AES-256-GCM) on the Klaviyo delivery row and deletes it once delivered.
 * Never logged, never written in clear.
 */
export interface PlainContact {
  email?: string; // trimmed, lowercased, validated
  phone_number?: string; // E.164 with +
  external_id?: string;
  first_name?: string;
  last_name?: string;
  /** The shopper's location exactly as written (trimmed, spaces collapsed) — a CRM profile shows it as is. */
  location?: { city?: string; region?: string; zip?: string; country?: string };
}

/** The contact fields that identify a profile (what diagnostics count), as opposed to its location. */
export type ContactIdentityField = Exclude<keyof PlainContact, 'location'>;

/** What the outbox stores and platform builders read: no raw email, phone, name or street. */
export interface HashedEvent {
  event_id: string;
  event_id_source: 'given' | 'order' | 'generated';
  /** Canonical name (src/event/names.ts) or a custom name. */
  event_name: string;
  /** Unix seconds. */
  event_time: number;
  action_source: (typeof ACTION_SOURCES)[number];
  event_source_url?: string;
  referrer_url?: string;
  user: HashedUser;
  commerce?: {
    value?: number;
    currency?: string;
    order_id?: string;
    items?: CanonicalItem[];
    content_type?: 'product' | 'product_group';
    search_string?: string;
  };
  consent: { marketing: boolean; limited_data_use: boolean };
  custom_data?: Record<string, unknown>;
  findings: Finding[];
  /** Klaviyo's raw contact; see PlainContact. Absent once sealed or when no Klaviyo destination needs it. */
  contact?: PlainContact;
  /**
   * Which contact fields the event had — names only, never values. Stored with the event, so diagnostics can
   * still count Klaviyo's profile keys after the contact itself was sealed onto its delivery or deleted.
   */
  contact_fields?: ContactIdentityField[];
}

export interface IdentityOptions {
  /** ISO alpha-2 region for phones written without a country code when the event has no `user.country`. */
  defaultCountry?: string;
  /** Derive fbc from fbclid when no fbc is given (default true). */
  deriveFbc?: boolean;
  /**
   * The gateway's own and its proxies' addresses (single IPs or CIDR blocks). A `client_ip_address` in this list
   * is the server's, not the shopper's: dropped with SERVER_IP. Private/loopback/reserved ranges always are.
   */
  serverIps?: string[];
  /** Fill `HashedEvent.contact` (raw contact for Klaviyo). Default true; false when no Klaviyo leg needs it. */
  includeContact?: boolean;
}
