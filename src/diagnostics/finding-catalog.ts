import type { PlatformName } from '../event/names.js';
import type { FindingCode } from '../identity/findings.js';

export type Severity = 'error' | 'warn' | 'info';

export interface CatalogEntry {
  severity: Severity;
  /** What is wrong, in words an operator understands. Never holds a value from the event. */
  message: string;
  /** What to change so the finding goes away. */
  fix: string;
  /**
   * The platforms the cause can matter to at all, when narrower than every platform: an IP problem means nothing to
   * Google's click uploads or to Klaviyo, which carry no IP (src/platforms/google/README.md,
   * src/platforms/klaviyo/README.md).
   */
  concerns?: readonly PlatformName[];
}

// Platforms whose requests carry the shopper's IP and user agent (the meta, tiktok, pinterest, snapchat,
// microsoft and reddit READMEs under src/platforms/).
const IP_PLATFORMS: readonly PlatformName[] = ['meta', 'tiktok', 'pinterest', 'snapchat', 'microsoft', 'reddit'];
// Platforms that deduplicate against a browser pixel by event_id, and whose standard names drive optimization.
const PIXEL_PLATFORMS: readonly PlatformName[] = ['meta', 'tiktok', 'pinterest', 'snapchat', 'microsoft', 'reddit'];

// One row per finding code: its severity, what it means and the concrete fix (docs/DIAGNOSTICS.md "Findings").
// `error`: the platform drops the event or attributes it wrongly. `warn`: the event arrives but matches worse.
// `info`: worth knowing, nothing is lost by itself.
export const FINDING_CATALOG: Record<FindingCode, CatalogEntry> = {
  EMAIL_INVALID: {
    severity: 'warn',
    message: 'an email address is not a valid address and was dropped (platforms silently ignore malformed keys)',
    fix: 'send the address the shopper typed at checkout; check that the field holds an email, not a name or an id',
  },
  PHONE_INVALID: {
    severity: 'warn',
    message: 'a phone number cannot be read as a phone number and was dropped',
    fix: 'send the full number including the country code (E.164, e.g. +16505551212)',
  },
  PHONE_NO_COUNTRY: {
    severity: 'warn',
    message: 'a phone number has no country code and no country to infer it from, so it was dropped',
    fix: 'send phones in E.164 (+<country code><number>), or send user.country, or set default_country in the config',
  },
  PREHASHED_MALFORMED: {
    severity: 'warn',
    message: 'a value looks pre-hashed but is not a 64-character SHA-256 hex string, so it was dropped',
    fix: 'send either the plain value (Matchkey hashes it) or the full lowercase SHA-256 hex of the normalized value',
  },
  PHONE_PREHASHED: {
    severity: 'info',
    message: 'a phone number arrived already hashed, so Matchkey cannot re-format it: every platform gets the hash as given, and TikTok and Google, which hash E.164 with the leading +, match it only if it was made that way (Meta and Pinterest hash the digits without +)',
    fix: 'send the plain phone number (Matchkey hashes it in each platform’s own format), or hash it as E.164 with + for TikTok and Google',
    concerns: ['tiktok', 'google'],
  },
  NAME_INVALID: {
    severity: 'info',
    message: 'a first or last name is empty after normalization and was dropped',
    fix: 'send the shopper’s name as typed; leave the field out when it is unknown',
  },
  GENDER_INVALID: {
    severity: 'info',
    message: 'a gender value is not one the platforms accept and was dropped',
    fix: 'send "f" or "m" (Pinterest also takes "n"), or leave the field out',
  },
  DOB_INVALID: {
    severity: 'info',
    message: 'a date of birth cannot be read as a date and was dropped',
    fix: 'send the date of birth as YYYY-MM-DD',
  },
  STATE_INVALID: {
    severity: 'info',
    message: 'a state cannot be reduced to a 2-letter code and was dropped',
    fix: 'send the 2-letter state or province code (Shopify: province_code)',
  },
  ZIP_INVALID: {
    severity: 'info',
    message: 'a postal code is too short or malformed and was dropped',
    fix: 'send the postal code as written on the address (US: 5 digits or ZIP+4)',
  },
  COUNTRY_INVALID: {
    severity: 'info',
    message: 'a country is not an ISO-3166 alpha-2 code or known country name and was dropped',
    fix: 'send the 2-letter country code (Shopify: country_code), e.g. "US"',
  },
  CITY_INVALID: {
    severity: 'info',
    message: 'a city is empty after normalization and was dropped',
    fix: 'send the city name as written on the address',
  },
  SERVER_IP: {
    severity: 'error',
    message:
      'the client IP is a server’s (loopback, private, link-local, reserved, or one of the configured server_ips), so it was dropped: the platforms would attribute every event to one machine',
    fix: 'forward the shopper’s IP from the inbound request, not the server’s (behind a proxy or CDN, read X-Forwarded-For / CF-Connecting-IP and set server.trust_proxy)',
    concerns: IP_PLATFORMS,
  },
  SHARED_IP: {
    severity: 'warn',
    message: 'one client IP was used by 5 or more different shoppers within 24 hours: likely a proxy, VPN or carrier NAT, which platforms flag as "IP associated with multiple users"',
    fix: 'check that the IP comes from the shopper’s request and not from a proxy in between; if it is carrier NAT there is nothing to fix — send more identity keys (email, phone, external_id) so matching does not lean on the IP',
    concerns: IP_PLATFORMS,
  },
  IP_HAS_PORT: {
    severity: 'info',
    message: 'the client IP carried a :port suffix; Matchkey stripped it before sending',
    fix: 'send the address alone (strip the port from X-Forwarded-For or the socket address)',
    concerns: IP_PLATFORMS,
  },
  IP_INVALID: {
    severity: 'warn',
    message: 'the client IP is not a valid IPv4 or IPv6 address and was dropped',
    fix: 'send the shopper’s address as a plain IPv4 or IPv6 string (first entry of X-Forwarded-For, no port)',
    concerns: IP_PLATFORMS,
  },
  IP_VERSION_MISMATCH: {
    severity: 'warn',
    message: 'the browser leg sent an IPv6 address and the server leg an IPv4 address for the same event, which Meta reports as "Mismatched IP Address"',
    fix: 'send the IPv6 address the browser used on the server leg too: pass it from the browser (Matchkey /collect) or capture it where the order is placed',
    concerns: IP_PLATFORMS,
  },
  MISSING_CLIENT_IP: {
    severity: 'warn',
    message: 'a website event has no client IP, one of the strongest keys when email and phone are missing',
    fix: 'forward the shopper’s IP from the inbound request (Shopify: client_details.browser_ip)',
    concerns: IP_PLATFORMS,
  },
  MISSING_USER_AGENT: {
    severity: 'warn',
    message: 'a website event has no user agent; Meta requires client_user_agent for website events',
    fix: 'forward the shopper’s User-Agent header (Shopify: client_details.user_agent)',
    concerns: IP_PLATFORMS,
  },
  WEBSITE_EVENT_INCOMPLETE: {
    severity: 'warn',
    message: 'a website event lacks client_user_agent or event_source_url, which Meta requires of website events: the Meta destination’s incomplete_website_events policy sends it as action_source "other" (the default) or skips it, so it no longer counts as a website conversion',
    fix: 'send event_source_url (the page URL) and the shopper’s User-Agent with website events; an event that did not happen on the website should say its own action_source',
    concerns: ['meta'],
  },
  FBC_MALFORMED: {
    severity: 'error',
    message: 'the fbc click id is not fb.<subdomain index>.<ms>.<fbclid>; Meta rejects it (error 2804001, "Click ID Incorrectly Formatted") and the click is lost',
    fix: 'send the _fbc cookie exactly as the pixel set it, or send the raw fbclid from the landing URL as user.fbclid and let Matchkey build fbc',
    concerns: ['meta'],
  },
  FBC_AFTER_EVENT: {
    severity: 'warn',
    message: 'the fbc click time is later than the event time (fbc rebuilt at send time), so Meta sees a click after the conversion',
    fix: 'keep the _fbc cookie from the first visit, or send user.click_time with the time the fbclid was first seen',
    concerns: ['meta'],
  },
  FBC_DERIVED: {
    severity: 'info',
    message: 'fbc was built from fbclid because no _fbc cookie was sent',
    fix: 'send the _fbc cookie when the pixel runs; send user.click_time so the derived click time is the real one',
    concerns: ['meta'],
  },
  FBP_MALFORMED: {
    severity: 'warn',
    message: 'the fbp browser id is not fb.<subdomain index>.<ms>.<random>, so it was dropped',
    fix: 'send the _fbp cookie exactly as the pixel set it; do not generate or re-encode it',
    concerns: ['meta'],
  },
  MISSING_EVENT_ID: {
    severity: 'warn',
    message: 'the event had no event_id (and no order id to derive one), so a random id was generated and it cannot be deduplicated against the browser pixel',
    fix: 'send the same event_id on the browser pixel and the server event (purchases: order_<order id>)',
    concerns: PIXEL_PLATFORMS,
  },
  EVENT_TOO_OLD: {
    severity: 'error',
    message: 'the event is older than the platform accepts (Meta: 7 days; one such event makes Meta refuse the whole request)',
    fix: 'send events as they happen; for a backfill, leave out events older than the platform’s limit',
  },
  EVENT_IN_FUTURE: {
    severity: 'error',
    message: 'the event time is more than 5 minutes ahead of when it was received (client clock skew or a milliseconds/seconds mix-up); platforms refuse such events',
    fix: 'set event_time from the server clock, in unix seconds (not milliseconds), or as ISO-8601 with its time zone',
  },
  NONSTANDARD_EVENT_NAME: {
    severity: 'info',
    message: 'the event name is not a standard name, so it is sent as a custom event that ad optimization does not use',
    fix: 'use a standard name when one fits (purchase, add_to_cart, initiate_checkout, view_content, lead, …)',
    concerns: PIXEL_PLATFORMS,
  },
  MISSING_CURRENCY: {
    severity: 'error',
    message: 'a purchase or value-carrying event has no currency (Meta 2804010 "Missing Currency for Purchase Event"), so its value is dropped',
    fix: 'send commerce.currency as an ISO-4217 code (e.g. "USD") with every value',
  },
  INVALID_VALUE: {
    severity: 'error',
    message: 'the event value is missing, negative or not a number where the platform needs one, so revenue is mis-reported',
    fix: 'send commerce.value as a non-negative number in major units (59.90, not "59,90" or cents)',
  },
  NO_DETERMINISTIC_KEY: {
    severity: 'error',
    message: 'the event has no valid email, phone or external_id, so it can only be matched by IP, user agent and click ids',
    fix: 'send at least one of user.email, user.phone or user.external_id (the logged-in customer id)',
  },
  DEDUP_NO_BROWSER_TWIN: {
    severity: 'info',
    message: 'a server event has no browser-pixel event with the same event name and event_id within 48 hours, although the browser leg sends this event',
    fix: 'fire the pixel with the same event_id as the server event (purchases: order_<order id>); if the pixel was blocked, nothing to fix',
    concerns: PIXEL_PLATFORMS,
  },
  DEDUP_NAME_MISMATCH: {
    severity: 'warn',
    message: 'the browser and server legs sent one event_id under two different event names, so the platform counts the conversion twice',
    fix: 'use the same event name on both legs (e.g. purchase on the pixel and on the server)',
    concerns: PIXEL_PLATFORMS,
  },
  GA_COOKIE_MALFORMED: {
    severity: 'warn',
    message: 'a Google Analytics cookie (_ga or _ga_<stream>) is not in a format GA4 writes, so it was dropped',
    fix: 'send the _ga and _ga_<stream> cookies exactly as gtag.js set them (or the bare client id and session id from gtag(\'get\', …))',
    concerns: ['ga4'],
  },
  GA4_NO_CLIENT_ID: {
    // warn, not error: GA4 still counts the event and its revenue; what is lost is who it was and where they came from.
    severity: 'warn',
    message: 'a website event reaches GA4 without the _ga client id: Matchkey sends it under a stand-in client id, so GA4 counts a new user and the purchase lands as "Unassigned" traffic',
    fix: 'capture the _ga cookie on the storefront (matchkey.js or the Shopify pixel, with the checkout token join) or copy it into the order\'s note attributes as _ga',
    concerns: ['ga4'],
  },
  GA4_NO_SESSION_ID: {
    severity: 'warn',
    message: 'a website event reaches GA4 without the _ga_<stream> session id, so GA4 cannot attach it to the visit and its traffic source is lost',
    fix: 'capture the _ga_<stream> cookie of the GA4 data stream on the storefront (matchkey.js data-ga4-measurement-id, or the Shopify pixel served by the gateway)',
    concerns: ['ga4'],
  },
  GA4_LIMIT: {
    severity: 'warn',
    message: 'the event breaks a Measurement Protocol limit (name, parameter count or length, item count): GA4 answers 2xx and silently drops what is over the limit, so Matchkey trims it before sending',
    fix: 'keep custom event names to letters, digits and _ (≤ 40, starting with a letter, no reserved name or prefix), custom_data to ≤ 25 parameters with names ≤ 40 and text values ≤ 100 characters, and ≤ 200 items',
    concerns: ['ga4'],
  },
  PLATFORM_COVERAGE_BELOW_SENT: {
    // Raised by the quality comparison (src/diagnostics/quality/compare.ts), never by a single event.
    severity: 'warn',
    message: "the platform's own quality report sees a match key on far fewer events than Matchkey sent it on (20 points or more), so the key is lost between Matchkey and the platform's matching",
    fix: "open the platform's diagnostics for that key (Meta Events Manager › Data sources › Diagnostics, Pinterest Ads Manager › Conversions › Event quality); check that the key is hashed in the platform's format and that the destination is the dataset or ad account the report reads, then compare again after a day",
    concerns: ['meta', 'pinterest'],
  },
  PLATFORM_UPLOADS_BELOW_SENT: {
    // Raised by the quality comparison (src/diagnostics/quality/compare.ts) from Google's upload diagnostics.
    severity: 'warn',
    message: "Google reports a success rate for the conversion uploads 20 points or more below the share Matchkey had accepted by Google's upload answer, so Google drops conversions after taking them",
    fix: 'read the error codes beside the rate (Google Ads › Goals › Conversions › Summary › the conversion action › Diagnostics); a click not found or too old points at the gclid capture or the conversion action\'s window, a duplicate at a second integration uploading the same orders, a missing consent at the consent fields sent',
    concerns: ['google'],
  },
};

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

/** error before warn before info. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[a] - SEVERITY_RANK[b];
}
