import { authFailure, permanent, retryable, type DeliveryError } from '../../errors.js';
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
import { DEFAULT_WINDOWS, formatWindow } from '../../reconcile/attributed/windows.js';
import { withBaseUrl } from '../types.js';
import type { TikTokSettings } from './settings.js';

// Complete payments from the Marketing API's synchronous integrated report (./README.md "Attributed conversions (read)"):
//   GET /open_api/v1.3/report/integrated/get/?advertiser_id&report_type=BASIC&data_level=AUCTION_ADVERTISER
//       &dimensions=["stat_time_day"]&metrics=["complete_payment","total_complete_payment_rate"]&start_date&end_date
//       &page&page_size    header Access-Token
// https://business-api.tiktok.com/portal/docs/run-a-synchronous-report/v1.3 . `total_complete_payment_rate` is,
// despite its name, the total value of complete payments. The report takes no attribution window: TikTok counts with
// the attribution settings of the ad groups (7-day click, 1-day view unless changed), so the window recorded is
// that setting as stated by `--window tiktok=…` or the default, marked `account_setting`.

export const TIKTOK_REPORT_METRICS = ['complete_payment', 'total_complete_payment_rate'] as const;
/** With stat_time_day as a dimension a report covers at most 30 days. */
const MAX_RANGE_DAYS = 30;
const PAGE_SIZE = 1000;
const MAX_PAGES = 50;

/** TikTok answers HTTP 200 with its own code: 40001 no permission on the advertiser, 40104/40105 token, 40100/429xx rate. */
function tiktokError(status: number, body: unknown): DeliveryError | null {
  if (!isObject(body) || typeof body.code !== 'number' || body.code === 0) return null;
  const code = body.code;
  const message = `TikTok ${code}: ${typeof body.message === 'string' ? body.message : 'no message'}`;
  if (code === 40001 || code === 40104 || code === 40105) return authFailure(`tiktok_${code}`, message);
  if (code === 40100 || (code >= 42900 && code < 43000) || code >= 50000 || status >= 500) return retryable(`tiktok_${code}`, message);
  return permanent(`tiktok_${code}`, message);
}

export async function readTikTokAttributed(settings: TikTokSettings, range: AttributedReadRange, fetchFn: Fetch = fetch): Promise<PulledAttribution> {
  const reporting = settings.reporting;
  if (!reporting) throw new AttributedReadError(permanent('NOT_CONFIGURED', 'reporting.advertiser_id and reporting.access_token are not set'));
  const window = range.window ?? DEFAULT_WINDOWS.tiktok!;
  const path = '/open_api/v1.3/report/integrated/get/';
  const byDay = new Map<string, { conversions: number; value: number }>();
  for (const piece of chunkRange(range.from, range.to, MAX_RANGE_DAYS)) {
    for (let page = 1, pages = 1; page <= pages && page <= MAX_PAGES; page++) {
      const query = new URLSearchParams({
        advertiser_id: reporting.advertiser_id,
        report_type: 'BASIC',
        data_level: 'AUCTION_ADVERTISER',
        dimensions: JSON.stringify(['stat_time_day']),
        metrics: JSON.stringify(TIKTOK_REPORT_METRICS),
        start_date: piece.from,
        end_date: piece.to,
        page: String(page),
        page_size: String(PAGE_SIZE),
      });
      const url = withBaseUrl(`https://business-api.tiktok.com${path}?${query}`, settings.base_url);
      const body = await readJson(fetchFn, url, { headers: { 'access-token': reporting.access_token } }, tiktokError);
      const data = isObject(body) && isObject(body.data) ? body.data : null;
      if (!data || !Array.isArray(data.list)) throw new AttributedReadError(permanent('UNEXPECTED_ANSWER', 'the report answer has no data.list'));
      for (const row of data.list) {
        if (!isObject(row) || !isObject(row.dimensions) || !isObject(row.metrics) || typeof row.dimensions.stat_time_day !== 'string') continue;
        // "2026-11-01 00:00:00" in the advertiser's time zone.
        addDay(byDay, row.dimensions.stat_time_day.slice(0, 10), numberOf(row.metrics.complete_payment) ?? 0, numberOf(row.metrics.total_complete_payment_rate) ?? 0);
      }
      pages = isObject(data.page_info) ? (numberOf(data.page_info.total_page) ?? 1) : 1;
    }
  }
  return {
    platform: 'tiktok',
    destination_id: settings.id,
    window,
    window_source: 'account_setting',
    window_detail: `the ad groups' attribution setting, taken to be ${formatWindow(window)}${range.window ? ' (--window)' : " (TikTok's default)"}; the report takes no window`,
    endpoint: `GET ${path}`,
    days: daysOf(byDay),
  };
}
