import { createHmac } from 'node:crypto';
import type { PlatformName } from '../event/names.js';
import type { GoogleSettings } from '../platforms/google/settings.js';
import type { KlaviyoSettings } from '../platforms/klaviyo/settings.js';
import type { MetaSettings } from '../platforms/meta/settings.js';
import type { PinterestSettings } from '../platforms/pinterest/settings.js';
import type { TikTokSettings } from '../platforms/tiktok/settings.js';
import { withBaseUrl, type CommonSettings, type PlatformResponse } from '../platforms/types.js';

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
 * Google: only the OAuth exchange is checked (client id, secret and refresh token), through the platform's own
 * token fetch; the customer id and developer token are checked by the first upload. Kept in this one function so
 * the Google check can follow the platform's API when it changes.
 */
export async function checkGoogle(
  s: GoogleSettings,
  fetchToken: (settings: GoogleSettings) => Promise<unknown>,
): Promise<Verdict> {
  if (!s.oauth) return { ok: true, detail: 'a static access_token is configured: it is checked by the first upload' };
  try {
    await fetchToken(s);
    return { ok: true, detail: 'the OAuth refresh token was exchanged for an access token (customer_id and developer_token are checked by the first upload)' };
  } catch (err) {
    const e = err as { kind?: string; message?: string };
    if (e.kind === 'auth') return { ok: false, problem: 'credentials', detail: `oauth refused: ${e.message ?? ''}` };
    throw err;
  }
}

export const LOOKUPS: Partial<Record<PlatformName, LookupFor<CommonSettings>>> = {
  meta: metaLookup as LookupFor<CommonSettings>,
  tiktok: tiktokLookup as LookupFor<CommonSettings>,
  pinterest: pinterestLookup as LookupFor<CommonSettings>,
  klaviyo: klaviyoLookup as LookupFor<CommonSettings>,
};
