import { permanent } from '../../errors.js';
import {
  AttributedReadError,
  addDay,
  daysOf,
  isObject,
  numberOf,
  readJson,
  type AttributedReadRange,
  type Fetch,
  type PulledAttribution,
} from '../../reconcile/attributed/pulled.js';
import type { AttributionWindow } from '../../reconcile/types.js';
import { withBaseUrl, type FormPost } from '../types.js';
import { fetchGoogleAccessToken, TokenExchangeError } from './oauth.js';
import { GOOGLE_DEFAULT_API_VERSION, type GoogleSettings } from './settings.js';

// The purchase conversion action's figures from the Google Ads API (./README.md "Attributed conversions (read)"):
//   POST /{version}/customers/{customer_id}/googleAds:searchStream {query}   headers developer-token, login-customer-id
// two GAQL queries: the action's click-through and view-through lookback windows (its attribution window), then
// all_conversions and all_conversions_value by segments.date for that action
// (https://developers.google.com/google-ads/api/docs/conversions/reporting,
//  https://developers.google.com/google-ads/api/fields/v26/conversion_action). The answer is a list of batches
// [{results: [GoogleAdsRow], fieldMask, requestId}] with proto-JSON names (allConversionsValue, int64 as strings).

/** The canonical event whose conversion action is read. */
const PURCHASE = 'purchase';

export function googleReportingGap(settings: GoogleSettings): string | null {
  if (!settings.conversion_actions[PURCHASE]) return 'no conversion action is mapped to purchase in conversion_actions';
  const developerToken = settings.reporting?.developer_token ?? settings.developer_token;
  if (!developerToken) return 'set reporting.developer_token (reading reports needs a Google Ads API developer token)';
  return null;
}

/** The OAuth token exchange through the caller's fetch (the same loopback simulators in tests). */
export function formPost(fetchFn: Fetch): FormPost {
  return async (url, form) => {
    const response = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(), signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? '' : JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the error message.
    }
    return { status: response.status, headers: Object.fromEntries(response.headers), body };
  };
}

/** The read's access token: reporting.access_token, else the destination's own credentials with the adwords scope. */
async function reportingAccessToken(settings: GoogleSettings, fetchFn: Fetch): Promise<string> {
  if (settings.reporting?.access_token) return settings.reporting.access_token;
  try {
    // Reports are the Google Ads API's: a service account asks for its adwords scope, whichever API uploads.
    return (await fetchGoogleAccessToken({ ...settings, api: 'google_ads' }, formPost(fetchFn))).token;
  } catch (err) {
    if (err instanceof TokenExchangeError) throw new AttributedReadError(err.error);
    if (err instanceof TypeError || err instanceof DOMException) throw new AttributedReadError({ kind: 'retryable', code: 'NETWORK', message: `token exchange: ${err.message}` });
    throw err;
  }
}

/**
 * A GAQL search through `googleAds:searchStream` with the read's credentials (the attributed report and the upload
 * summary alike): the access token is fetched once, then each call is one POST of its query.
 */
export async function googleAdsSearch(settings: GoogleSettings, fetchFn: Fetch): Promise<{ path: string; search: (query: string) => Promise<unknown> }> {
  const version = settings.reporting?.api_version ?? settings.api_version ?? GOOGLE_DEFAULT_API_VERSION;
  const path = `/${version}/customers/${settings.customer_id}/googleAds:searchStream`;
  const url = withBaseUrl(`https://googleads.googleapis.com${path}`, settings.base_url);
  const token = await reportingAccessToken(settings, fetchFn);
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'developer-token': (settings.reporting?.developer_token ?? settings.developer_token)!,
    'content-type': 'application/json',
    ...(settings.login_customer_id ? { 'login-customer-id': settings.login_customer_id } : {}),
  };
  return { path, search: (query) => readJson(fetchFn, url, { method: 'POST', headers, body: JSON.stringify({ query }) }) };
}

export function rowsOf(body: unknown): Record<string, unknown>[] {
  const batches = Array.isArray(body) ? body : [body];
  return batches.flatMap((b) => (isObject(b) && Array.isArray(b.results) ? b.results.filter(isObject) : []));
}

export async function readGoogleAttributed(settings: GoogleSettings, range: AttributedReadRange, fetchFn: Fetch = fetch): Promise<PulledAttribution> {
  const gap = googleReportingGap(settings);
  if (gap) throw new AttributedReadError(permanent('NOT_CONFIGURED', gap));
  const actionId = settings.conversion_actions[PURCHASE]!;
  const ads = await googleAdsSearch(settings, fetchFn);
  const path = ads.path;
  const search = async (query: string) => rowsOf(await ads.search(query));

  const actions = await search(
    'SELECT conversion_action.id, conversion_action.name, conversion_action.click_through_lookback_window_days, ' +
      `conversion_action.view_through_lookback_window_days FROM conversion_action WHERE conversion_action.id = ${actionId}`,
  );
  const action = actions.map((r) => r.conversionAction).find(isObject);
  if (!action) throw new AttributedReadError(permanent('UNKNOWN_CONVERSION_ACTION', `conversion action ${actionId} (conversion_actions.purchase) is not in customer ${settings.customer_id}`));
  const clickDays = numberOf(action.clickThroughLookbackWindowDays);
  if (clickDays === null) throw new AttributedReadError(permanent('UNEXPECTED_ANSWER', `conversion action ${actionId} has no click-through lookback window`));
  const viewDays = numberOf(action.viewThroughLookbackWindowDays);
  const window: AttributionWindow = { click_days: clickDays, ...(viewDays !== null ? { view_days: viewDays } : {}) };

  const resource = `customers/${settings.customer_id}/conversionActions/${actionId}`;
  const rows = await search(
    'SELECT customer.currency_code, segments.date, segments.conversion_action, metrics.all_conversions, metrics.all_conversions_value ' +
      `FROM campaign WHERE segments.date BETWEEN '${range.from}' AND '${range.to}' AND segments.conversion_action = '${resource}'`,
  );
  const byDay = new Map<string, { conversions: number; value: number }>();
  let currency: string | undefined;
  for (const row of rows) {
    const segments = isObject(row.segments) ? row.segments : {};
    const metrics = isObject(row.metrics) ? row.metrics : {};
    if (typeof segments.date !== 'string') continue;
    if (isObject(row.customer) && typeof row.customer.currencyCode === 'string') currency ??= row.customer.currencyCode;
    addDay(byDay, segments.date, numberOf(metrics.allConversions) ?? 0, numberOf(metrics.allConversionsValue) ?? 0);
  }
  const name = typeof action.name === 'string' ? ` "${action.name}"` : '';
  return {
    platform: 'google',
    destination_id: settings.id,
    window,
    window_source: 'account_setting',
    window_detail: `conversion action ${actionId}${name}: click_through_lookback_window_days=${clickDays}${viewDays !== null ? `, view_through_lookback_window_days=${viewDays}` : ''}`,
    endpoint: `POST ${path}`,
    ...(currency ? { currency } : {}),
    days: daysOf(byDay),
  };
}
