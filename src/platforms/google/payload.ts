import type { HashedEvent } from '../../identity/types.js';
import { withBaseUrl, type BuildContext, type PlatformRequest } from '../types.js';
import { addressInfo, clickId, emailAndPhoneIdentifiers, type UserIdentifier } from './identifiers.js';
import { GOOGLE_DEFAULT_API_VERSION, type GoogleSettings } from './settings.js';

// Builds the Google Ads API upload request (`api: "google_ads"`). Pure: same events, settings and token → same
// request.

const API_HOST = 'https://googleads.googleapis.com';

/** `conversion_date_time` / `adjustment_date_time` format: "yyyy-mm-dd hh:mm:ss+|-hh:mm"; we always send UTC. */
export function googleDateTime(unixSeconds: number): string {
  const iso = new Date(unixSeconds * 1000).toISOString(); // 2025-11-28T10:40:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00:00`;
}

export function conversionActionResource(settings: GoogleSettings, canonicalName: string): string | null {
  const id = Object.hasOwn(settings.conversion_actions, canonicalName) ? settings.conversion_actions[canonicalName] : undefined;
  return id === undefined ? null : `customers/${settings.customer_id}/conversionActions/${id}`;
}

/**
 * Consent for Google's EU user-consent policy: marketing consent covers ad user data. Conversions carry
 * `adUserData` only — `ad_personalization` "can only be set for OfflineUserDataJobService and UserDataService"
 * (https://developers.google.com/google-ads/api/reference/rpc/v26/Consent).
 */
function consentOf(event: HashedEvent): { adUserData: 'GRANTED' | 'DENIED' } {
  return { adUserData: event.consent.marketing ? 'GRANTED' : 'DENIED' };
}

function cartData(event: HashedEvent, settings: GoogleSettings): Record<string, unknown> | undefined {
  const items = event.commerce?.items;
  if (!items || items.length === 0) return undefined;
  const cart: Record<string, unknown> = {};
  // int64 fields travel as JSON strings in Google's REST mapping.
  if (settings.merchant_id !== undefined) cart.merchantId = settings.merchant_id;
  if (settings.feed_country_code) cart.feedCountryCode = settings.feed_country_code;
  if (settings.feed_language_code) cart.feedLanguageCode = settings.feed_language_code;
  cart.items = items.map((item) => {
    const out: Record<string, unknown> = { productId: item.id };
    if (item.quantity !== undefined) out.quantity = item.quantity;
    if (item.price !== undefined) out.unitPrice = item.price;
    return out;
  });
  return cart;
}

function commerceFields(event: HashedEvent, target: Record<string, unknown>): void {
  const commerce = event.commerce;
  if (commerce?.value !== undefined) target.conversionValue = commerce.value;
  if (commerce?.currency) target.currencyCode = commerce.currency;
  if (commerce?.order_id) target.orderId = commerce.order_id;
}

/** One ClickConversion. The caller has checked (skipReason) that the event has a conversion action and a key. */
export function clickConversion(event: HashedEvent, settings: GoogleSettings): Record<string, unknown> {
  const conversion: Record<string, unknown> = {
    conversionAction: conversionActionResource(settings, event.event_name),
    conversionDateTime: googleDateTime(event.event_time),
  };
  commerceFields(event, conversion);
  const click = clickId(event.user);
  if (click) Object.assign(conversion, click);
  // Enhanced conversions for leads pairs user identifiers with a gclid or with nothing; gbraid/wbraid uploads
  // carry no identifiers (RudderStack drops them, ./README.md), so a braid conversion is sent without them.
  const braid = click !== undefined && !('gclid' in click);
  const identifiers = braid ? [] : emailAndPhoneIdentifiers(event.user);
  if (identifiers.length > 0) conversion.userIdentifiers = identifiers;
  conversion.consent = consentOf(event);
  const cart = cartData(event, settings);
  if (cart) conversion.cartData = cart;
  return conversion;
}

/**
 * One ConversionAdjustment of type ENHANCEMENT (enhanced conversions for web): keyed by the order id the tag
 * sent as transaction_id; conversion time in gclidDateTimePair without a gclid (GADS-PY: "Enhancements MUST use
 * order ID instead of GCLID date/time pair").
 */
export function enhancementAdjustment(event: HashedEvent, settings: GoogleSettings): Record<string, unknown> {
  const address = addressInfo(event.user);
  // The address takes one of the 5 slots when it is complete enough to match.
  const identifiers: UserIdentifier[] = emailAndPhoneIdentifiers(event.user, address ? 4 : 5);
  if (address) identifiers.push({ addressInfo: address, userIdentifierSource: 'FIRST_PARTY' });
  const adjustment: Record<string, unknown> = {
    conversionAction: conversionActionResource(settings, event.event_name),
    adjustmentType: 'ENHANCEMENT',
    orderId: event.commerce?.order_id,
    gclidDateTimePair: { conversionDateTime: googleDateTime(event.event_time) },
    userIdentifiers: identifiers,
  };
  if (event.user.client_user_agent) adjustment.userAgent = event.user.client_user_agent;
  return adjustment;
}

export function googleHeaders(settings: GoogleSettings, accessToken: string): Record<string, string> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${accessToken}`,
    'developer-token': settings.developer_token ?? '',
    'Content-Type': 'application/json',
  };
  if (settings.login_customer_id) headers['login-customer-id'] = settings.login_customer_id;
  return headers;
}

export function buildGoogleRequest(events: HashedEvent[], settings: GoogleSettings, ctx: BuildContext): PlatformRequest {
  const token = ctx.accessToken ?? settings.access_token;
  if (!token) throw new Error(`destination ${settings.id}: no Google access token (configure oauth or access_token)`);
  const validateOnly = settings.test === true;
  const version = settings.api_version ?? GOOGLE_DEFAULT_API_VERSION;
  if (settings.mode === 'adjustments') {
    return {
      method: 'POST',
      url: withBaseUrl(`${API_HOST}/${version}/customers/${settings.customer_id}:uploadConversionAdjustments`, settings.base_url),
      headers: googleHeaders(settings, token),
      body: { conversionAdjustments: events.map((e) => enhancementAdjustment(e, settings)), partialFailure: true, validateOnly },
    };
  }
  return {
    method: 'POST',
    url: withBaseUrl(`${API_HOST}/${version}/customers/${settings.customer_id}:uploadClickConversions`, settings.base_url),
    headers: googleHeaders(settings, token),
    // partialFailure must be true for conversion uploads (./README.md); validateOnly = test mode.
    body: { conversions: events.map((e) => clickConversion(e, settings)), partialFailure: true, validateOnly },
  };
}
