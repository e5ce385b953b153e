import type { PlatformName } from '../event/names.js';
import { GA4_STAND_IN_PREFIX } from '../platforms/ga4/payload.js';

// The match keys coverage is reported on, in each platform's own wire names (docs/DIAGNOSTICS.md "Coverage"; the user
// objects are Meta user_data, TikTok data[].user, Pinterest user_data, Google ClickConversion /
// ConversionAdjustment, Klaviyo profile attributes: the READMEs under src/platforms/).
export const WIRE_KEYS: Record<PlatformName, readonly string[]> = {
  meta: ['em', 'ph', 'external_id', 'fbc', 'fbp', 'client_ip_address', 'client_user_agent', 'fn', 'ln', 'ct', 'st', 'zp', 'country', 'db', 'ge'],
  tiktok: ['email', 'phone', 'external_id', 'ttclid', 'ttp', 'ip', 'user_agent'],
  pinterest: ['em', 'ph', 'external_id', 'click_id', 'client_ip_address', 'client_user_agent', 'fn', 'ln', 'ct', 'st', 'zp', 'country'],
  // Google in the Data Manager API's names (the default path); a Google Ads API body is read into the same names.
  google: ['emailAddress', 'phoneNumber', 'gclid', 'address'],
  klaviyo: ['email', 'phone_number', 'external_id'],
  snapchat: ['em', 'ph', 'external_id', 'sc_click_id', 'sc_cookie1', 'client_ip_address', 'client_user_agent', 'fn', 'ln', 'ct', 'st', 'zp', 'country', 'db', 'ge'],
  microsoft: ['em', 'ph', 'externalId', 'msclkid', 'clientIpAddress', 'clientUserAgent'],
  reddit: ['email', 'phone_number', 'external_id', 'click_id', 'uuid', 'ip_address', 'user_agent'],
  ga4: ['client_id', 'session_id', 'user_id', 'sha256_email_address', 'sha256_phone_number', 'address'],
};

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A key "carried" a value when it is there and not empty ('' / [] / {} do not match anything). */
function carries(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(carries);
  if (isObject(value)) return Object.values(value).some(carries);
  return true;
}

function presentKeys(obj: unknown, wanted: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (!isObject(obj)) return out;
  for (const key of wanted) if (carries(obj[key])) out.add(key);
  return out;
}

/** Google Ads API identifier names → the Data Manager API's. */
const GOOGLE_ADS_NAMES: Record<string, string> = { hashedEmail: 'emailAddress', hashedPhoneNumber: 'phoneNumber', addressInfo: 'address' };

/** Google Ads API: identifiers are one-of entries in userIdentifiers[]; the click id sits on the conversion itself. */
function googleAdsKeys(conversion: unknown): Set<string> {
  const out = new Set<string>();
  if (!isObject(conversion)) return out;
  const identifiers = Array.isArray(conversion.userIdentifiers) ? conversion.userIdentifiers : [];
  for (const id of identifiers) for (const key of presentKeys(id, Object.keys(GOOGLE_ADS_NAMES))) out.add(GOOGLE_ADS_NAMES[key]!);
  const pair = isObject(conversion.gclidDateTimePair) ? conversion.gclidDateTimePair : {};
  if (carries(conversion.gclid) || carries(pair.gclid)) out.add('gclid');
  return out;
}

/** GA4: one event per request; client_id (a real one, not a stand-in), user_id and user_data are request-level. */
function ga4Keys(body: Json): Set<string> {
  const out = presentKeys(isObject(body.user_data) ? body.user_data : undefined, ['sha256_email_address', 'sha256_phone_number', 'address']);
  if (carries(body.user_id)) out.add('user_id');
  if (typeof body.client_id === 'string' && !body.client_id.startsWith(GA4_STAND_IN_PREFIX)) out.add('client_id');
  const events = Array.isArray(body.events) ? body.events : [];
  const params = isObject(events[0]) && isObject(events[0].params) ? events[0].params : {};
  if (carries(params.session_id)) out.add('session_id');
  return out;
}

/** Data Manager API: identifiers in userData.userIdentifiers[], the click id in adIdentifiers. */
function dataManagerKeys(event: unknown): Set<string> {
  const out = new Set<string>();
  if (!isObject(event)) return out;
  const userData = isObject(event.userData) ? event.userData : {};
  const identifiers = Array.isArray(userData.userIdentifiers) ? userData.userIdentifiers : [];
  for (const id of identifiers) for (const key of presentKeys(id, ['emailAddress', 'phoneNumber', 'address'])) out.add(key);
  if (isObject(event.adIdentifiers) && carries(event.adIdentifiers.gclid)) out.add('gclid');
  return out;
}

function klaviyoProfile(event: unknown): unknown {
  if (!isObject(event)) return undefined;
  const attributes = isObject(event.attributes) ? event.attributes : {};
  const profile = isObject(attributes.profile) ? attributes.profile : {};
  const data = isObject(profile.data) ? profile.data : {};
  return data.attributes;
}

/**
 * The wire keys each event of a built request carried, in request order; null when the body does not have the
 * platform's shape (the caller then builds the events one at a time).
 */
export function wireKeysPerEvent(platform: PlatformName, body: unknown): Set<string>[] | null {
  if (!isObject(body)) return null;
  const wanted = WIRE_KEYS[platform];
  switch (platform) {
    case 'meta':
    case 'pinterest':
    case 'snapchat':
      return Array.isArray(body.data) ? body.data.map((e) => presentKeys(isObject(e) ? e.user_data : undefined, wanted)) : null;
    case 'tiktok':
      return Array.isArray(body.data) ? body.data.map((e) => presentKeys(isObject(e) ? e.user : undefined, wanted)) : null;
    case 'google': {
      if (Array.isArray(body.events)) return body.events.map(dataManagerKeys);
      const rows = Array.isArray(body.conversions) ? body.conversions : Array.isArray(body.conversionAdjustments) ? body.conversionAdjustments : null;
      return rows ? rows.map(googleAdsKeys) : null;
    }
    case 'microsoft':
      return Array.isArray(body.data) ? body.data.map((e) => presentKeys(isObject(e) ? e.userData : undefined, wanted)) : null;
    case 'reddit': {
      // Reddit's click id sits on the event, the other keys in its `user` object.
      const events = isObject(body.data) && Array.isArray(body.data.events) ? body.data.events : null;
      return events
        ? events.map((e) => {
            const keys = presentKeys(isObject(e) ? e.user : undefined, wanted);
            if (isObject(e) && carries(e.click_id)) keys.add('click_id');
            return keys;
          })
        : null;
    }
    case 'ga4':
      return Array.isArray(body.events) ? body.events.map(() => ga4Keys(body)) : null;
    case 'klaviyo': {
      // Create Event takes one event (data is an object); the bulk endpoint takes data as an array.
      if (Array.isArray(body.data)) return body.data.map((e) => presentKeys(klaviyoProfile(e), wanted));
      return isObject(body.data) ? [presentKeys(klaviyoProfile(body.data), wanted)] : null;
    }
  }
}
