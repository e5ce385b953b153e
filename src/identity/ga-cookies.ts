// Google Analytics 4's first-party cookies, read into the `client_id` and `session_id` the Measurement Protocol takes
// (https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events, checked 2026-12-04: the
// values gtag('get', …) returns, which gtag keeps in these cookies).
//   _ga           GA1.<domain depth>.<random>.<first-seen seconds>  → client_id `<random>.<seconds>`
//   _ga_<stream>  GS1.1.<session id>.<session number>.…             → session_id `<session id>`
//                 GS2.1.s<session id>$o<session number>$g…$t…        (the prefixed format rolled out in May 2025,
//                 https://www.thyngster.com/google-analytics-4-cookie-format-change-from-gs1-to-gs2-explained)
// A bare client id or session id (what gtag('get', …) returns) is accepted as it is.

export type GaCookieResult = { ok: true; value: string } | { ok: false; detail: string };

const CLIENT_ID = /^\d{1,20}\.\d{1,20}$/;
const GA_COOKIE = /^GA\d+\.\d+(?:-\d+)?\.(\d{1,20}\.\d{1,20})$/;
const SESSION_ID = /^\d{1,20}$/;

export function parseGaClientId(raw: string): GaCookieResult {
  const value = raw.trim();
  if (CLIENT_ID.test(value)) return { ok: true, value };
  const cookie = GA_COOKIE.exec(value);
  if (cookie) return { ok: true, value: cookie[1]! };
  return { ok: false, detail: 'not a _ga cookie (GA1.1.<random>.<seconds>) or a client id (<random>.<seconds>)' };
}

export function parseGaSessionId(raw: string): GaCookieResult {
  const value = raw.trim();
  if (SESSION_ID.test(value)) return { ok: true, value };
  if (value.startsWith('GS1.')) {
    const session = value.split('.')[2];
    if (session !== undefined && SESSION_ID.test(session)) return { ok: true, value: session };
  } else if (value.startsWith('GS2.')) {
    // GS2.<depth>.<fields>: `$`-separated, each a one-letter prefix and its value, in any order.
    const fields = value.split('.').slice(2).join('.').split('$');
    const session = fields.find((f) => f.startsWith('s'))?.slice(1);
    if (session !== undefined && SESSION_ID.test(session)) return { ok: true, value: session };
  }
  return { ok: false, detail: 'not a _ga_<stream> cookie (GS1.1.<session id>.… or GS2.1.s<session id>$…) or a session id' };
}
