import { permanent } from '../../errors.js';
import { AttributedReadError, isObject, numberOf, type Fetch } from '../../reconcile/attributed/pulled.js';
import { googleAdsSearch, rowsOf } from './attributed.js';
import type { GoogleSettings } from './settings.js';

// Google's own diagnostics of the offline conversion uploads of a customer (./README.md "Upload diagnostics (read)"):
//   POST /{version}/customers/{customer_id}/googleAds:searchStream
//   SELECT offline_conversion_upload_client_summary.… FROM offline_conversion_upload_client_summary
//     WHERE offline_conversion_upload_client_summary.client = 'GOOGLE_ADS_API'
// (https://developers.google.com/google-ads/api/fields/v26/offline_conversion_upload_client_summary, proto
// https://github.com/googleapis/googleapis/blob/master/google/ads/googleads/v26/resources/offline_conversion_upload_client_summary.proto).
// The row carries the success rate and event counts, a summary per upload day and the alerts of the most recent day
// with uploads (one error code each, with its share 0–1). The same credentials as the attributed read (attributed.ts).

export const UPLOAD_SUMMARY_FIELDS = [
  'client', 'status', 'total_event_count', 'successful_event_count', 'success_rate', 'pending_event_count',
  'last_upload_date_time', 'daily_summaries', 'alerts',
].map((f) => `offline_conversion_upload_client_summary.${f}`);

/** Matchkey's uploads are the Google Ads API client's; the web client's and data connectors' are someone else's. */
export const UPLOAD_CLIENT = 'GOOGLE_ADS_API';

export interface GoogleUploadSummary {
  client: string;
  /** EXCELLENT, GOOD, NEEDS_ATTENTION, NO_RECENT_UPLOAD (OfflineConversionDiagnosticStatus). */
  status: string | null;
  /** 0–100: Google's success_rate (a 0–1 ratio) as a percentage. */
  success_rate: number | null;
  successful: number;
  total: number;
  pending: number;
  last_upload: string | null;
  daily: { date: string; successful: number; failed: number; pending: number }[];
  /** Each error code Google alerts on with its share 0–100 of the most recent upload day. */
  alerts: { code: string; share: number }[];
}

export function uploadSummaryGap(settings: GoogleSettings): string | null {
  if (!(settings.reporting?.developer_token ?? settings.developer_token)) return 'set reporting.developer_token (reading upload diagnostics needs a Google Ads API developer token)';
  return null;
}

const percent = (ratio: number): number => Math.round(ratio * 1000) / 10;

/** OfflineConversionError is a oneof: `{conversionUploadError: "CLICK_NOT_FOUND"}` → `CLICK_NOT_FOUND`. */
function errorCode(error: unknown): string {
  if (!isObject(error)) return 'UNSPECIFIED';
  const code = Object.values(error).find((v) => typeof v === 'string');
  return typeof code === 'string' ? code : 'UNSPECIFIED';
}

export function parseUploadSummary(body: unknown): GoogleUploadSummary | null {
  const summaries = rowsOf(body).map((r) => r.offlineConversionUploadClientSummary).filter(isObject);
  const s = summaries.find((x) => x.client === UPLOAD_CLIENT) ?? summaries[0];
  if (!s) return null;
  const rate = numberOf(s.successRate);
  return {
    client: typeof s.client === 'string' ? s.client : UPLOAD_CLIENT,
    status: typeof s.status === 'string' ? s.status : null,
    success_rate: rate === null ? null : percent(rate),
    successful: numberOf(s.successfulEventCount) ?? 0,
    total: numberOf(s.totalEventCount) ?? 0,
    pending: numberOf(s.pendingEventCount) ?? 0,
    last_upload: typeof s.lastUploadDateTime === 'string' ? s.lastUploadDateTime : null,
    daily: (Array.isArray(s.dailySummaries) ? s.dailySummaries : []).filter(isObject).flatMap((d) =>
      typeof d.uploadDate === 'string'
        ? [{ date: d.uploadDate, successful: numberOf(d.successfulCount) ?? 0, failed: numberOf(d.failedCount) ?? 0, pending: numberOf(d.pendingCount) ?? 0 }]
        : [],
    ),
    alerts: (Array.isArray(s.alerts) ? s.alerts : []).filter(isObject).map((a) => ({ code: errorCode(a.error), share: percent(numberOf(a.errorPercentage) ?? 0) })),
  };
}

/** null when Google has no summary for the customer (nothing uploaded through the API in its window). */
export async function readGoogleUploadSummary(settings: GoogleSettings, fetchFn: Fetch = fetch): Promise<GoogleUploadSummary | null> {
  const gap = uploadSummaryGap(settings);
  if (gap) throw new AttributedReadError(permanent('NOT_CONFIGURED', gap));
  const { search } = await googleAdsSearch(settings, fetchFn);
  const query = `SELECT ${UPLOAD_SUMMARY_FIELDS.join(', ')} FROM offline_conversion_upload_client_summary WHERE offline_conversion_upload_client_summary.client = '${UPLOAD_CLIENT}'`;
  return parseUploadSummary(await search(query));
}
