import { permanent } from '../../errors.js';
import {
  AttributedReadError,
  addDay,
  chunkRange,
  daysOf,
  isObject,
  numberOf,
  readJson,
  type AttributedReadRange,
  type Fetch,
  type PulledAttribution,
} from '../../reconcile/attributed/pulled.js';
import { DEFAULT_WINDOWS } from '../../reconcile/attributed/windows.js';
import type { AttributionWindow } from '../../reconcile/types.js';
import { withBaseUrl } from '../types.js';
import type { PinterestSettings } from './settings.js';

// Checkout totals from ad account analytics (./README.md "Attributed conversions (read)"):
//   GET /v5/ad_accounts/{ad_account_id}/analytics?start_date&end_date&granularity=DAY
//       &columns=TOTAL_CHECKOUT,TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR&click_window_days&engagement_window_days
//       &view_window_days&conversion_report_time=TIME_OF_AD_ACTION
// https://developers.pinterest.com/docs/api/v5/#operation/ad_account/analytics ; parameters and defaults (30-day click,
// 30-day engagement, 1-day view) in github.com/pinterest/pinterest-python-generated-api-client
// docs/AdsAnalyticsCreateAsyncRequest.md. The answer is a list of {DATE, AD_ACCOUNT_ID, <column>: number}.

export const PINTEREST_CHECKOUT_COLUMNS = ['TOTAL_CHECKOUT', 'TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR'] as const;

/** Window lengths the analytics endpoint accepts for each of its three windows. */
const WINDOW_DAYS = new Set([0, 1, 7, 14, 30, 60]);
/** A daily report covers at most 90 days. */
const MAX_RANGE_DAYS = 90;

function checkDays(days: number, which: string): string {
  if (!WINDOW_DAYS.has(days)) {
    throw new AttributedReadError(permanent('UNSUPPORTED_WINDOW', `Pinterest ${which}_window_days is one of 0, 1, 7, 14, 30, 60, not ${days}`));
  }
  return String(days);
}

export async function readPinterestAttributed(settings: PinterestSettings, range: AttributedReadRange, fetchFn: Fetch = fetch): Promise<PulledAttribution> {
  const fallback = DEFAULT_WINDOWS.pinterest!;
  const given = range.window;
  // A `--window pinterest=7d_click` names the click window; the two others keep Pinterest's defaults.
  const window: AttributionWindow = {
    click_days: given?.click_days ?? fallback.click_days,
    engagement_days: given?.engagement_days ?? fallback.engagement_days!,
    view_days: given?.view_days ?? fallback.view_days!,
  };
  const params = {
    click_window_days: checkDays(window.click_days, 'click'),
    engagement_window_days: checkDays(window.engagement_days!, 'engagement'),
    view_window_days: checkDays(window.view_days!, 'view'),
  };
  const token = settings.reporting?.access_token ?? settings.access_token;
  const path = `/v5/ad_accounts/${encodeURIComponent(settings.ad_account_id)}/analytics`;
  const byDay = new Map<string, { conversions: number; value: number }>();
  for (const piece of chunkRange(range.from, range.to, MAX_RANGE_DAYS)) {
    const query = new URLSearchParams({
      start_date: piece.from,
      end_date: piece.to,
      columns: PINTEREST_CHECKOUT_COLUMNS.join(','),
      granularity: 'DAY',
      ...params,
      conversion_report_time: 'TIME_OF_AD_ACTION',
    });
    const url = withBaseUrl(`https://api.pinterest.com${path}?${query}`, settings.base_url);
    const body = await readJson(fetchFn, url, { headers: { authorization: `Bearer ${token}` } });
    if (!Array.isArray(body)) throw new AttributedReadError(permanent('UNEXPECTED_ANSWER', 'expected a list of daily analytics rows'));
    for (const row of body) {
      if (!isObject(row) || typeof row.DATE !== 'string') continue;
      const micro = numberOf(row.TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR) ?? 0;
      addDay(byDay, row.DATE.slice(0, 10), numberOf(row.TOTAL_CHECKOUT) ?? 0, micro / 1_000_000);
    }
  }
  return {
    platform: 'pinterest',
    destination_id: settings.id,
    window,
    window_source: 'requested',
    window_detail: `click_window_days=${params.click_window_days}, engagement_window_days=${params.engagement_window_days}, view_window_days=${params.view_window_days}, conversion_report_time=TIME_OF_AD_ACTION`,
    endpoint: `GET ${path}`,
    days: daysOf(byDay),
  };
}
