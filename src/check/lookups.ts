import { createHmac } from 'node:crypto';
import type { PlatformName } from '../event/names.js';
import { parseCanonicalEvent } from '../event/parse.js';
import { hashOnce } from '../identity/hash-once.js';
import type { HashedEvent } from '../identity/types.js';
import { ga4Url } from '../platforms/ga4/payload.js';
import type { Ga4Settings } from '../platforms/ga4/settings.js';
import { buildDataManagerRequest } from '../platforms/google/data-manager.js';
import type { GoogleSettings } from '../platforms/google/settings.js';
import type { KlaviyoSettings } from '../platforms/klaviyo/settings.js';
import type { MetaSettings } from '../platforms/meta/settings.js';
import type { PinterestSettings } from '../platforms/pinterest/settings.js';
import { buildSnapchatRequest } from '../platforms/snapchat/payload.js';
import type { SnapchatSettings } from '../platforms/snapchat/settings.js';
import type { TikTokSettings } from '../platforms/tiktok/settings.js';
import { withBaseUrl, type CommonSettings, type PlatformRequest, type PlatformResponse } from '../platforms/types.js';

// One credential check per platform: the read-only lookup each API offers for the account, pixel or dataset a
// destination names. Each returns the request to make and how to read the answer; check.ts makes the call.

export type Verdict = { ok: true; detail: string } | { ok: false; problem: 'credentials' | 'id' | 'answer'; detail: string };

export interface Lookup {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  verdict(response: PlatformResponse): Verdict;
}

/** Either a lookup, or (Google) a function that checks on its own with a form POST. */
export type LookupFor<S> = (settings: S) => Lookup;

const field = (body: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);

/**
 * Meta: GET /{version}/{pixel_id}?fields=id,name, the pixel (dataset) node of the Graph API
 * (https://developers.facebook.com/docs/marketing-api/reference/ads-pixel/). Code 190 = the token is invalid or
 * expired; code 100 = the pixel does not exist or the token's system user was not given access to it.
 */
export function metaLookup(s: MetaSettings): Lookup {
  const query = new URLSearchParams({ fields: 'id,name', access_token: s.access_token });
  if (s.app_secret) query.set('appsecret_proof', createHmac('sha256', s.app_secret).update(s.access_token).digest('hex'));
  return {
    method: 'GET',
    url: withBaseUrl(`https://graph.facebook.com/${s.api_version}/${encodeURIComponent(s.pixel_id)}?${query}`, s.base_url),
    headers: {},
    verdict(r) {
      if (r.status === 200) return { ok: true, detail: `pixel ${s.pixel_id} (${String(field(r.body, 'name') ?? 'no name')}) is reachable with this token` };
      const code = field(r.body, 'error', 'code');
      const message = String(field(r.body, 'error', 'message') ?? `HTTP ${r.status}`);
      if (code === 190 || code === 102 || code === 104) return { ok: false, problem: 'credentials', detail: `access_token refused: ${message} — create a new token in Events Manager → Settings → Conversions API` };
      if (code === 100 || code === 803) return { ok: false, problem: 'id', detail: `pixel_id ${s.pixel_id} not found or not shared with this token's system user: ${message}` };
      return { ok: false, problem: 'answer', detail: message };
    },
  };
}

/**
 * TikTok: no read-only lookup works with an Events API token alone (pixel/list needs the advertiser id and a
 * Marketing API token), so the check sends an empty batch in test mode to /event/track/: the token and the pixel
 * code are checked first (40104/40105 token, 40001 no permission on the pixel), then the empty batch is refused
 * (40002 on `data`), so nothing is ever recorded (https://business-api.tiktok.com/portal/docs?id=1771100865818625).
 */
export function tiktokLookup(s: TikTokSettings): Lookup {
  return {
    method: 'POST',
    url: withBaseUrl('https://business-api.tiktok.com/open_api/v1.3/event/track/', s.base_url),
    headers: { 'Access-Token': s.access_token, 'Content-Type': 'application/json' },
    body: { event_source: 'web', event_source_id: s.pixel_code, test_event_code: s.test_event_code ?? 'MATCHKEY_CHECK', data: [] },
    verdict(r) {
      const code = field(r.body, 'code');
      const message = String(field(r.body, 'message') ?? `HTTP ${r.status}`);
      if (code === 0 || (code === 40002 && message.startsWith('data'))) return { ok: true, detail: `pixel ${s.pixel_code} accepts this token (an empty test batch was refused as expected: nothing recorded)` };
      if (code === 40104 || code === 40105) return { ok: false, problem: 'credentials', detail: `access_token refused: ${message} — generate one in Events Manager → the pixel → Settings → Generate Access Token` };
      if (code === 40001) return { ok: false, problem: 'id', detail: `pixel_code ${s.pixel_code} not found or not accessible with this token: ${message}` };
      return { ok: false, problem: 'answer', detail: message };
    },
  };
}

/** Pinterest: GET /v5/ad_accounts/{ad_account_id} (https://developers.pinterest.com/docs/api/v5/ad_accounts-get/). */
export function pinterestLookup(s: PinterestSettings): Lookup {
  return {
    method: 'GET',
    url: withBaseUrl(`https://api.pinterest.com/v5/ad_accounts/${encodeURIComponent(s.ad_account_id)}`, s.base_url),
    headers: { Authorization: `Bearer ${s.access_token}` },
    verdict(r) {
      const message = String(field(r.body, 'message') ?? `HTTP ${r.status}`);
      if (r.status === 200) return { ok: true, detail: `ad account ${s.ad_account_id} (${String(field(r.body, 'name') ?? 'no name')}) is reachable with this token` };
      if (r.status === 401) return { ok: false, problem: 'credentials', detail: `access_token refused: ${message} — generate a conversion token in Ads Manager → Conversions` };
      if (r.status === 403 || r.status === 404) return { ok: false, problem: 'id', detail: `ad_account_id ${s.ad_account_id} not found or not accessible with this token: ${message}` };
      return { ok: false, problem: 'answer', detail: message };
    },
  };
}

/**
 * Klaviyo: GET /api/accounts (https://developers.klaviyo.com/en/reference/get_accounts). A key made with only
 * events:write (all Matchkey needs) gets 403 there: the key is valid, so that passes, with a note.
 */
export function klaviyoLookup(s: KlaviyoSettings): Lookup {
  return {
    method: 'GET',
    url: withBaseUrl('https://a.klaviyo.com/api/accounts', s.base_url),
    headers: { Authorization: `Klaviyo-API-Key ${s.api_key}`, revision: s.revision, Accept: 'application/vnd.api+json' },
    verdict(r) {
      const detail = String(field(r.body, 'errors', '0', 'detail') ?? `HTTP ${r.status}`);
      if (r.status === 200) return { ok: true, detail: 'the private API key is valid' };
      if (r.status === 403) return { ok: true, detail: 'the private API key is valid (it lacks accounts:read, which sending does not need)' };
      if (r.status === 401) return { ok: false, problem: 'credentials', detail: `api_key refused: ${detail} — create a private key with events:write in Settings → API keys` };
      return { ok: false, problem: 'answer', detail };
    },
  };
}

/**
 * Google. The Data Manager API has no read-only lookup of a conversion destination (its resources are events:ingest,
 * audienceMembers and requestStatus; https://developers.google.com/data-manager/api/reference/rest), so the check
 * (1) obtains an access token the way delivery does (OAuth refresh token, service account or static token), then
 * (2) sends ONE test event for the first conversion action with `validateOnly: true` — "the request is validated but
 * not executed" (https://developers.google.com/data-manager/api/reference/rest/v1/events/ingest) — which checks the
 * token's access to customer_id and the conversion action id without recording anything. With api "google_ads" only
 * step 1 runs: the customer id and developer token are checked by the first upload.
 */
export async function checkGoogle(
  s: GoogleSettings,
  fetchToken: (settings: GoogleSettings) => Promise<{ token: string }>,
  send: (request: PlatformRequest) => Promise<PlatformResponse>,
  nowSec: number,
): Promise<Verdict> {
  let token: string;
  try {
    token = (await fetchToken(s)).token;
  } catch (err) {
    const e = err as { kind?: string; message?: string };
    if (e.kind === 'auth') return { ok: false, problem: 'credentials', detail: `oauth refused: ${e.message ?? ''}` };
    throw err;
  }
  if (s.api === 'google_ads') {
    return { ok: true, detail: 'an access token was obtained (customer_id and developer_token are checked by the first upload)' };
  }
  const [eventName, actionId] = Object.entries(s.conversion_actions)[0] ?? [];
  if (eventName === undefined) return { ok: false, problem: 'id', detail: 'conversion_actions is empty: map at least one event to a conversion action id' };
  const probe: HashedEvent = { ...checkPurchase(nowSec), event_name: eventName };
  const r = await send(buildDataManagerRequest([probe], { ...s, test: true }, { now: nowSec, accessToken: token }));
  const error = field(r.body, 'error');
  const reason = String(field(error, 'details', '0', 'reason') ?? field(error, 'status') ?? '');
  const message = String(field(error, 'message') ?? `HTTP ${r.status}`);
  if (r.status === 200) {
    return { ok: true, detail: `customer ${s.customer_id} accepted a validate-only test event for conversion action ${actionId} (nothing recorded)` };
  }
  if (r.status === 401) return { ok: false, problem: 'credentials', detail: `access token refused: ${message} — the OAuth client needs the scope https://www.googleapis.com/auth/datamanager` };
  if (r.status === 403 || r.status === 404 || reason === 'INVALID_CONVERSION_ACTION_ID' || reason.startsWith('DESTINATION_ACCOUNT_')) {
    return { ok: false, problem: 'id', detail: `customer_id ${s.customer_id} or conversion action ${actionId} not found or not accessible with these credentials: ${message}` };
  }
  return { ok: false, problem: 'answer', detail: message };
}

/**
 * GA4: the Measurement Protocol validation server, POST /debug/mp/collect with one event
 * (https://developers.google.com/analytics/devguides/collection/protocol/ga4/validating-events). It records nothing
 * and answers `validationMessages`; it checks the measurement id, but "does not validate api_secret", so a wrong
 * secret is only seen in GA4's Realtime report after `matchkey send-test` (the collect endpoint drops such data
 * without an error).
 */
export function ga4Lookup(s: Ga4Settings): Lookup {
  return {
    method: 'POST',
    url: ga4Url({ ...s, test: true }),
    headers: { 'Content-Type': 'application/json' },
    body: { client_id: '1000000000.1700000000', events: [{ name: 'matchkey_check', params: {} }] },
    verdict(r) {
      const messages = field(r.body, 'validationMessages');
      if (r.status === 200 && Array.isArray(messages)) {
        if (messages.length === 0) return { ok: true, detail: `measurement_id ${s.measurement_id} accepted by the validation server (it does not check api_secret: confirm with send-test in GA4 → Realtime)` };
        const first = messages[0] as Record<string, unknown>;
        const detail = `${String(first.fieldPath ?? '')}: ${String(first.description ?? first.validationCode ?? '')}`;
        if (String(first.fieldPath ?? '').startsWith('measurement_id')) return { ok: false, problem: 'id', detail: `measurement_id ${s.measurement_id} refused: ${detail}` };
        return { ok: false, problem: 'answer', detail };
      }
      return { ok: false, problem: 'answer', detail: `HTTP ${r.status}` };
    },
  };
}

/**
 * Snapchat: no read-only pixel lookup with a Conversions API token, but the validate endpoint
 * POST /v3/{pixel_id}/events/validate checks a request "without counting" it
 * (https://developers.snap.com/api/marketing-api/Conversions-API/VerifySetUp): one test purchase is sent there.
 */
export function snapchatLookup(s: SnapchatSettings): Lookup {
  const request = buildSnapchatRequest([checkPurchase(Math.floor(Date.now() / 1000))], { ...s, test: true });
  return {
    method: 'POST',
    url: request.url,
    headers: request.headers,
    body: request.body,
    verdict(r) {
      const reason = String(field(r.body, 'reason') ?? `HTTP ${r.status}`);
      if (r.status === 200) return { ok: true, detail: `pixel ${s.pixel_id} validated a test purchase with this token (validate endpoint: nothing counted)` };
      if (r.status === 401) return { ok: false, problem: 'credentials', detail: `access_token refused: ${reason} — generate one in Ads Manager → Events Manager → the pixel → Conversions API token` };
      if (r.status === 403 || r.status === 404) return { ok: false, problem: 'id', detail: `pixel_id ${s.pixel_id} not found or not accessible with this token: ${reason}` };
      return { ok: false, problem: 'answer', detail: reason };
    },
  };
}

/** A purchase the validate-only checks send: no real shopper (a documentation address and IP, RFC 2606 / 5737). */
function checkPurchase(now: number): HashedEvent {
  return hashOnce(
    parseCanonicalEvent({
      event_id: `matchkey_check_${now}`,
      event_name: 'purchase',
      event_time: now,
      event_source_url: 'https://shop.example/checkouts/thank_you',
      user: { email: 'matchkey-check@example.com', client_ip_address: '192.0.2.1', client_user_agent: 'matchkey-check' },
      commerce: { order_id: `matchkey_check_${now}`, value: 1, currency: 'USD' },
      consent: { marketing: true },
    }),
    {},
  );
}

export const LOOKUPS: Partial<Record<PlatformName, LookupFor<CommonSettings>>> = {
  meta: metaLookup as LookupFor<CommonSettings>,
  tiktok: tiktokLookup as LookupFor<CommonSettings>,
  pinterest: pinterestLookup as LookupFor<CommonSettings>,
  klaviyo: klaviyoLookup as LookupFor<CommonSettings>,
  ga4: ga4Lookup as LookupFor<CommonSettings>,
  snapchat: snapchatLookup as LookupFor<CommonSettings>,
};
