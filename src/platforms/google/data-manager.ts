import type { HashedEvent, HashedUser } from '../../identity/types.js';
import { withBaseUrl, type BuildContext, type PlatformRequest } from '../types.js';
import { alternateEmailsAndPhones, clickId } from './identifiers.js';
import type { GoogleSettings } from './settings.js';

// Builds the Data Manager API request (the default `api: "data_manager"`):
//   POST https://datamanager.googleapis.com/v1/events:ingest
// Reference: https://developers.google.com/data-manager/api/reference/rest/v1/events/ingest
// Field mapping from the Google Ads API:
//   https://developers.google.com/data-manager/api/devguides/events/google-ads/offline/upgrade/field-mappings
// Pure: same events, settings and token → same request.

export const DATA_MANAGER_HOST = 'https://datamanager.googleapis.com';
export const DATA_MANAGER_INGEST_PATH = '/v1/events:ingest';
export const DATA_MANAGER_STATUS_PATH = '/v1/requestStatus:retrieve';

/** UserData.userIdentifiers: "At most 10 userIdentifiers can be provided in a single AudienceMember or Event". */
export const MAX_DATA_MANAGER_IDENTIFIERS = 10;

/**
 * DeviceInfo.ipAddress: "Google Ads does not support IP address matching for end users in the European Economic Area
 * (EEA), United Kingdom (UK), or Switzerland (CH). Add logic to conditionally exclude sharing IP addresses from users
 * from these regions" (https://developers.google.com/data-manager/api/reference/rest/v1/events/ingest#DeviceInfo).
 * The IP goes out only when the shopper's country is known and outside them.
 */
const NO_IP_MATCHING = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
  'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO', 'GB', 'CH',
]);

type ConsentStatus = 'CONSENT_GRANTED' | 'CONSENT_DENIED';

export type DataManagerIdentifier =
  | { emailAddress: string }
  | { phoneNumber: string }
  | { address: { givenName: string; familyName: string; regionCode: string; postalCode: string } };

export interface DataManagerDestination {
  reference: string;
  operatingAccount: { accountType: 'GOOGLE_ADS'; accountId: string };
  loginAccount?: { accountType: 'GOOGLE_ADS'; accountId: string };
  productDestinationId: string;
}

/** `2025-11-28T10:40:00Z`: google.protobuf.Timestamp in its RFC 3339 JSON form. */
export function rfc3339(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

export function conversionActionId(settings: GoogleSettings, canonicalName: string): string | null {
  return Object.hasOwn(settings.conversion_actions, canonicalName) ? (settings.conversion_actions[canonicalName] ?? null) : null;
}

/**
 * One destination per conversion action present in the batch, in first-seen order. The reference is the action
 * id, so every event names its destination in `destinationReferences` and requestStatus (whose
 * `requestStatusPerDestination` follows the request's order) maps back to the events.
 */
export function dataManagerDestinations(events: HashedEvent[], settings: GoogleSettings): DataManagerDestination[] {
  const seen = new Set<string>();
  const out: DataManagerDestination[] = [];
  for (const e of events) {
    const action = conversionActionId(settings, e.event_name);
    if (action === null || seen.has(action)) continue;
    seen.add(action);
    const destination: DataManagerDestination = {
      reference: action,
      operatingAccount: { accountType: 'GOOGLE_ADS', accountId: settings.customer_id },
      productDestinationId: action,
    };
    // "The account used to make this API call": the manager (MCC) account the credentials belong to.
    if (settings.login_customer_id) destination.loginAccount = { accountType: 'GOOGLE_ADS', accountId: settings.login_customer_id };
    out.push(destination);
  }
  return out;
}

/**
 * The address identifier: AddressInfo requires givenName, familyName, regionCode and postalCode; names hashed
 * (lowercase, trimmed: the `fn`/`ln` of the identity pass), region and postal code in the clear
 * (https://developers.google.com/data-manager/api/get-started/formatting "AddressInfo format").
 */
function addressIdentifier(user: HashedUser): DataManagerIdentifier | undefined {
  const geo = user.geo ?? {};
  if (!user.fn || !user.ln || !geo.country || !geo.zip) return undefined;
  return { address: { givenName: user.fn, familyName: user.ln, regionCode: geo.country, postalCode: geo.zip } };
}

/**
 * Emails (Google's variant: gmail/googlemail dots and `+suffix` removed) and E.164 phones with `+`, alternating so
 * a shopper with several emails still gets a phone in, then the address — at most 10 in all.
 */
export function dataManagerIdentifiers(user: HashedUser): DataManagerIdentifier[] {
  const address = addressIdentifier(user);
  const limit = MAX_DATA_MANAGER_IDENTIFIERS - (address ? 1 : 0);
  const out = alternateEmailsAndPhones<DataManagerIdentifier>(user, limit, (emailAddress) => ({ emailAddress }), (phoneNumber) => ({ phoneNumber }));
  if (address) out.push(address);
  return out;
}

function consentOf(event: HashedEvent): { adUserData: ConsentStatus; adPersonalization: ConsentStatus } {
  const userData = event.consent.marketing;
  return {
    adUserData: userData ? 'CONSENT_GRANTED' : 'CONSENT_DENIED',
    adPersonalization: userData && !event.consent.limited_data_use ? 'CONSENT_GRANTED' : 'CONSENT_DENIED',
  };
}

/** Event.eventSource (EventSource enum: WEB, APP, IN_STORE, PHONE, OTHER). */
function eventSource(event: HashedEvent): 'WEB' | 'APP' | 'IN_STORE' | 'PHONE' | 'OTHER' {
  switch (event.action_source) {
    case 'website':
      return 'WEB';
    case 'app':
      return 'APP';
    case 'physical_store':
      return 'IN_STORE';
    case 'phone_call':
      return 'PHONE';
    default:
      return 'OTHER';
  }
}

function adIdentifiers(user: HashedUser): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const click = clickId(user);
  if (click) Object.assign(out, click);
  const device: Record<string, string> = {};
  if (user.client_user_agent) device.userAgent = user.client_user_agent;
  const country = user.geo?.country;
  if (user.client_ip_address && country !== undefined && !NO_IP_MATCHING.has(country)) device.ipAddress = user.client_ip_address;
  // The shopper's browser as it landed from the ad: ClickConversion.user_ip_address maps here.
  if (Object.keys(device).length > 0) out.landingPageDeviceInfo = device;
  return Object.keys(out).length > 0 ? out : undefined;
}

function cartData(event: HashedEvent, settings: GoogleSettings): Record<string, unknown> | undefined {
  const items = event.commerce?.items;
  if (!items || items.length === 0) return undefined;
  const cart: Record<string, unknown> = {};
  if (settings.merchant_id !== undefined) cart.merchantId = settings.merchant_id;
  if (settings.feed_country_code) cart.merchantFeedLabel = settings.feed_country_code;
  if (settings.feed_language_code) cart.merchantFeedLanguageCode = settings.feed_language_code;
  cart.items = items.map((item) => {
    const out: Record<string, unknown> = { merchantProductId: item.id };
    // int64 travels as a JSON string in Google's REST mapping.
    if (item.quantity !== undefined) out.quantity = String(item.quantity);
    if (item.price !== undefined) out.unitPrice = item.price;
    return out;
  });
  return cart;
}

/** One Event. The caller has checked (skipReason) that the event has a conversion action and a key. */
export function dataManagerEvent(event: HashedEvent, settings: GoogleSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {
    destinationReferences: [conversionActionId(settings, event.event_name)],
    // The dedup key: an order id is unique per conversion action, and the tag sends it as transaction_id.
    transactionId: event.commerce?.order_id ?? event.event_id,
    eventTimestamp: rfc3339(event.event_time),
    eventSource: eventSource(event),
  };
  const commerce = event.commerce;
  if (commerce?.value !== undefined) out.conversionValue = commerce.value;
  if (commerce?.currency) out.currency = commerce.currency;
  const ads = adIdentifiers(event.user);
  if (ads) out.adIdentifiers = ads;
  const identifiers = dataManagerIdentifiers(event.user);
  if (identifiers.length > 0) out.userData = { userIdentifiers: identifiers };
  out.consent = consentOf(event);
  const cart = cartData(event, settings);
  if (cart) out.cartData = cart;
  return out;
}

export function dataManagerHeaders(accessToken: string): Record<string, string> {
  // No developer token: the Data Manager API authorizes with the OAuth token alone (scope .../auth/datamanager).
  return { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' };
}

export function buildDataManagerRequest(events: HashedEvent[], settings: GoogleSettings, ctx: BuildContext): PlatformRequest {
  const token = ctx.accessToken ?? settings.access_token;
  if (!token) throw new Error(`destination ${settings.id}: no Google access token (configure oauth, service_account_key_file or access_token)`);
  return {
    method: 'POST',
    url: withBaseUrl(DATA_MANAGER_HOST + DATA_MANAGER_INGEST_PATH, settings.base_url),
    headers: dataManagerHeaders(token),
    body: {
      destinations: dataManagerDestinations(events, settings),
      events: events.map((e) => dataManagerEvent(e, settings)),
      // Required for UserData: the hashes are SHA-256 as lowercase hex.
      encoding: 'HEX',
      // validateOnly: "the request is validated but not executed" — test mode.
      validateOnly: settings.test === true,
    },
  };
}

/** GET requestStatus:retrieve for an accepted request's `requestId`. */
export function buildRequestStatusCheck(requestId: string, settings: GoogleSettings, ctx: BuildContext): PlatformRequest {
  const token = ctx.accessToken ?? settings.access_token;
  if (!token) throw new Error(`destination ${settings.id}: no Google access token`);
  return {
    method: 'GET',
    url: withBaseUrl(`${DATA_MANAGER_HOST}${DATA_MANAGER_STATUS_PATH}?requestId=${encodeURIComponent(requestId)}`, settings.base_url),
    headers: { Authorization: `Bearer ${token}` },
    body: undefined,
  };
}
