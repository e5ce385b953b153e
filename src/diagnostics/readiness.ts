import type { PlatformName } from '../event/names.js';
import type { Coverage } from './types.js';
import { WIRE_KEYS } from './wire-keys.js';

// Matchkey readiness: our own, transparent estimate of how matchable a platform's events are, from key
// presence alone. Score = Σ weight(key) × coverage(key); the weights of a platform add up to 10.
// Deterministic keys (email, phone, external_id) and click ids weigh most because they identify one person;
// IP and user agent help, geography and demographics only narrow a match. docs/DIAGNOSTICS.md has the table.
// It is NOT Meta's Event Match Quality (or any platform's score) and is always shown with READINESS_LABEL.
const META_WEIGHTS: Record<string, number> = {
  em: 3,
  ph: 1.5,
  external_id: 1,
  fbc: 1.5,
  fbp: 0.5,
  client_ip_address: 1,
  client_user_agent: 0.5,
  fn: 0.25,
  ln: 0.25,
  ct: 0.1,
  st: 0.1,
  zp: 0.1,
  country: 0.1,
  db: 0.05,
  ge: 0.05,
};

/** Meta's weights under Snapchat's names: `sc_click_id` and `sc_cookie1` stand where `fbc` and `fbp` do. */
function snapchatWeights(meta: Record<string, number>): Record<string, number> {
  const renamed: Record<string, string> = { fbc: 'sc_click_id', fbp: 'sc_cookie1' };
  return Object.fromEntries(Object.entries(meta).map(([key, weight]) => [renamed[key] ?? key, weight]));
}

export const READINESS_WEIGHTS: Record<PlatformName, Record<string, number>> = {
  meta: META_WEIGHTS,
  tiktok: { email: 3, phone: 2, external_id: 1.5, ttclid: 1.5, ttp: 1, ip: 0.5, user_agent: 0.5 },
  pinterest: {
    em: 3,
    ph: 1.5,
    external_id: 1,
    click_id: 1.5,
    client_ip_address: 1,
    client_user_agent: 1,
    fn: 0.25,
    ln: 0.25,
    ct: 0.1,
    st: 0.1,
    zp: 0.2,
    country: 0.1,
  },
  google: { emailAddress: 4, phoneNumber: 2.5, gclid: 2.5, address: 1 },
  klaviyo: { email: 5, phone_number: 3, external_id: 2 },
  // Snapchat's CAPI takes Meta's user_data keys; its click id and Snap Pixel cookie weigh as fbc and fbp.
  snapchat: snapchatWeights(META_WEIGHTS),
  microsoft: { em: 3.5, ph: 2, externalId: 1, msclkid: 2, clientIpAddress: 1, clientUserAgent: 0.5 },
  reddit: { email: 3, phone_number: 1.5, external_id: 1, click_id: 2, uuid: 1, ip_address: 1, user_agent: 0.5 },
  // GA4 attributes by its own cookies: without client_id and session_id the event is Unassigned, whatever else it has.
  ga4: { client_id: 4, session_id: 3, user_id: 1, sha256_email_address: 1, sha256_phone_number: 0.5, address: 0.5 },
};

/** 0–10 with one decimal, or null when there is no coverage to score (nothing sendable). */
export function readinessScore(platform: PlatformName, coverage: Coverage): number | null {
  const weights = READINESS_WEIGHTS[platform];
  let score = 0;
  for (const key of WIRE_KEYS[platform]) {
    const share = coverage[key];
    if (share === null || share === undefined) return null;
    score += (weights[key] ?? 0) * share;
  }
  return Math.round(score * 10) / 10;
}
