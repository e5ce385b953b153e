import type { LoadedConfig } from '../../config/load.js';
import type { OutboxStore } from '../../outbox/types.js';
import { isProcessingRejection } from '../../platforms/google/data-manager-classify.js';
import type { GoogleSettings } from '../../platforms/google/settings.js';
import { readGoogleUploadSummary, type GoogleUploadSummary } from '../../platforms/google/upload-summary.js';
import { AttributedReadError, isObject, readJson, type Fetch } from '../../reconcile/attributed/pulled.js';
import type { MetaSettings } from '../../platforms/meta/settings.js';
import { META_PARTNER_AGENT } from '../../platforms/meta/settings.js';
import type { PinterestSettings } from '../../platforms/pinterest/settings.js';
import { withBaseUrl, type CommonSettings } from '../../platforms/types.js';
import { utcDay } from '../history/days.js';
import type { Gauge, HistoryStore } from '../history/types.js';

// The platforms' own quality read-outs, pulled from their read APIs and stored as dated gauges beside Matchkey's
// readiness and coverage (the same diag_gauges rows `matchkey gauge` writes), one series per destination:
//   kind `event_match_quality` / `event_quality_score`  the platform's headline figure for the day
//   kind `key_coverage:<event>:<wire key>`              the share (0–100) of the event the platform saw carrying the key
//   kind `upload_success_rate` (Google)                 the share (0–100) of the uploads Google processed successfully
//   kind `upload_accepted_rate` (Google)                Matchkey's side of the same uploads: the share its upload requests
//                                                       had accepted (delivered, or refused only later in processing)
//   kind `upload_errors:<code>` (Google)                the share (0–100) of the uploads failing with that code
// Meta: Dataset Quality API, https://developers.facebook.com/docs/marketing-api/conversions-api/dataset-quality-api
// Pinterest: GET /v5/ad_accounts/{id}/conversion_eqs, https://developers.pinterest.com/docs/track-conversions/get-event-quality-score/
// Google (src/platforms/google/README.md "Upload diagnostics (read)"): on the Google Ads API path, the
// offline_conversion_upload_client_summary GAQL resource; on the Data Manager API path Google offers no account-level
// read beyond requestStatus, so the figure is computed from what the delivery follow-up (src/delivery/follow-up.ts)
// recorded in the outbox from requestStatus over the last 24 hours.
// TikTok publishes no quality read API (src/platforms/tiktok/README.md).

export const QUALITY_PLATFORMS = ['meta', 'pinterest', 'google'] as const;
export type QualityPlatform = (typeof QUALITY_PLATFORMS)[number];

export interface PlatformQuality {
  platform: QualityPlatform;
  destination_id: string;
  /** Meta composite EMQ (0–10) of its best-covered purchase event; Pinterest 0–100 from overall_status. */
  score: number | null;
  /** Per platform event name → wire key → share 0–100. */
  events: Record<string, Record<string, number>>;
  /** Platform diagnostics with their solutions, as the platform words them. */
  diagnostics: { event: string; name: string; solution: string | null }[];
  /** Meta's event_coverage, dedupe_key_feedback and data_freshness per event, as Meta answers them (not stored). */
  details?: Record<string, Record<string, unknown>>;
  /** Google: the upload diagnostics behind `score`. */
  uploads?: UploadDiagnostics;
}

export interface UploadDiagnostics {
  /** Where the figure comes from: Google's summary resource, or the requestStatus answers recorded in the outbox. */
  source: 'google_ads_upload_summary' | 'data_manager_request_status';
  /** Uploads Google answered about (Google Ads: its total_event_count; Data Manager: delivered + rejected rows). */
  total: number;
  successful: number;
  /** 0–100: Google's success rate (the score). */
  success_rate: number | null;
  /**
   * 0–100: Matchkey's side over the last 24 hours — the share of the purchase uploads it ended whose request Google
   * accepted (delivered, or refused only later in Google's processing); null when the outbox has no such rows.
   */
  accepted_rate: number | null;
  /** Error codes with their share 0–100 of the uploads (Google Ads: its alerts; Data Manager: rejected rows per reason). */
  errors: { code: string; share: number }[];
  /** Google Ads: the summary as read (status, pending, daily summaries, last upload). */
  summary?: GoogleUploadSummary;
}

export interface QualityPullResult {
  day: string;
  pulled: PlatformQuality[];
  failed: { platform: string; destination_id: string; error: string }[];
  /** Destinations with no quality read API: said so, not silently skipped. */
  unsupported: { platform: string; destination_id: string; note: string }[];
}

export const SCORE_KIND: Record<QualityPlatform, string> = { meta: 'event_match_quality', pinterest: 'event_quality_score', google: 'upload_success_rate' };
export const UPLOAD_ACCEPTED_KIND = 'upload_accepted_rate';
export const UPLOAD_ERRORS_PREFIX = 'upload_errors:';
export const KEY_COVERAGE_PREFIX = 'key_coverage:';

/** Meta's match_key_feedback identifiers → the wire keys Matchkey sends (src/platforms/meta/README.md). */
const META_IDENTIFIER_KEYS: Record<string, string> = {
  email: 'em', phone: 'ph', first_name: 'fn', last_name: 'ln', date_of_birth: 'db', gender: 'ge', city: 'ct', state: 'st',
  zip_code: 'zp', zip: 'zp', country: 'country', external_id: 'external_id', ip_address: 'client_ip_address',
  user_agent: 'client_user_agent', click_id: 'fbc', fbc: 'fbc', browser_id: 'fbp', fbp: 'fbp',
};
/** Pinterest quality_components parameters → Pinterest wire keys (src/platforms/pinterest/README.md). */
const PINTEREST_PARAMETER_KEYS: Record<string, string> = {
  email: 'em', phone: 'ph', external_id: 'external_id', click_id: 'click_id', ip_address: 'client_ip_address',
  user_agent: 'client_user_agent', first_name: 'fn', last_name: 'ln', city: 'ct', state: 'st', zip_code: 'zp', country: 'country',
};
/** Pinterest answers a rating, not a number; the gauge keeps it on the 0–100 scale of `matchkey gauge --platform pinterest`. */
const PINTEREST_STATUS_SCORE: Record<string, number> = { GREAT: 100, GOOD: 66, FAIR: 33, POOR: 0 };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** An answer the pull cannot read as a quality report. A failed request is an AttributedReadError (readJson's). */
export class QualityReadError extends Error {}

const META_WEB_FIELDS = 'web{event_match_quality,event_name,event_coverage,dedupe_key_feedback,data_freshness}';

export async function pullMeta(settings: MetaSettings, fetchFn: Fetch = fetch): Promise<PlatformQuality> {
  const query = new URLSearchParams({ dataset_id: settings.pixel_id, agent_name: META_PARTNER_AGENT, fields: META_WEB_FIELDS });
  const url = withBaseUrl(`https://graph.facebook.com/${settings.api_version}/dataset_quality?${query}`, settings.base_url);
  const body = await readJson(fetchFn, url, { headers: { authorization: `Bearer ${settings.access_token}` } });
  return parseMetaQuality(body, settings.id);
}

export function parseMetaQuality(body: unknown, destinationId: string): PlatformQuality {
  const web = isObject(body) && Array.isArray(body.web) ? body.web : null;
  if (!web) throw new QualityReadError('the answer has no "web" list');
  const events: PlatformQuality['events'] = {};
  const diagnostics: PlatformQuality['diagnostics'] = [];
  const details: Record<string, Record<string, unknown>> = {};
  let score: number | null = null;
  for (const entry of web) {
    if (!isObject(entry) || typeof entry.event_name !== 'string') continue;
    const emq = isObject(entry.event_match_quality) ? entry.event_match_quality : {};
    const composite = num(emq.composite_score);
    if (composite !== null && (score === null || entry.event_name === 'Purchase')) score = composite;
    const keys: Record<string, number> = {};
    for (const feedback of Array.isArray(emq.match_key_feedback) ? emq.match_key_feedback : []) {
      if (!isObject(feedback) || typeof feedback.identifier !== 'string') continue;
      const key = META_IDENTIFIER_KEYS[feedback.identifier];
      const share = isObject(feedback.coverage) ? num(feedback.coverage.percentage) : null;
      if (key && share !== null) keys[key] = share;
    }
    events[entry.event_name] = keys;
    const extra = Object.fromEntries(['event_coverage', 'dedupe_key_feedback', 'data_freshness'].filter((f) => entry[f] !== undefined).map((f) => [f, entry[f]]));
    if (Object.keys(extra).length > 0) details[entry.event_name] = extra;
    for (const d of Array.isArray(emq.diagnostics) ? emq.diagnostics : []) {
      if (isObject(d) && typeof d.name === 'string') diagnostics.push({ event: entry.event_name, name: d.name, solution: typeof d.solution === 'string' ? d.solution : null });
    }
  }
  return { platform: 'meta', destination_id: destinationId, score, events, diagnostics, details };
}

export async function pullPinterest(settings: PinterestSettings, fetchFn: Fetch = fetch): Promise<PlatformQuality> {
  const query = new URLSearchParams({ lookback_period: '1d', source_platform: 'WEB', ingestion_source: 'CONVERSIONS_API' });
  const url = withBaseUrl(`https://api.pinterest.com/v5/ad_accounts/${encodeURIComponent(settings.ad_account_id)}/conversion_eqs?${query}`, settings.base_url);
  // conversion_eqs wants ads:read, which a conversion token may lack (docs/CONFIGURATION.md "pinterest").
  const token = settings.reporting?.access_token ?? settings.access_token;
  const body = await readJson(fetchFn, url, { headers: { authorization: `Bearer ${token}` } });
  return parsePinterestQuality(body, settings.id);
}

export function parsePinterestQuality(body: unknown, destinationId: string): PlatformQuality {
  const rows = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.items) ? body.items : null;
  if (!rows) throw new QualityReadError('expected a list of event quality scores');
  const row = rows.find(isObject);
  const events: PlatformQuality['events'] = {};
  const diagnostics: PlatformQuality['diagnostics'] = [];
  const status = row && typeof row.overall_status === 'string' ? row.overall_status : null;
  const components = row && isObject(row.quality_components) ? row.quality_components : {};
  for (const [parameter, byEvent] of Object.entries(components)) {
    const key = PINTEREST_PARAMETER_KEYS[parameter];
    if (!key || !isObject(byEvent)) continue;
    for (const [event, figures] of Object.entries(byEvent)) {
      if (!isObject(figures)) continue;
      const share = num(figures.coverage);
      if (share !== null) (events[event] ??= {})[key] = share;
      const issues = isObject(figures.issues) ? Object.keys(figures.issues) : [];
      for (const issue of issues) diagnostics.push({ event, name: `${parameter}: ${issue}`, solution: null });
    }
  }
  return { platform: 'pinterest', destination_id: destinationId, score: status !== null ? (PINTEREST_STATUS_SCORE[status] ?? null) : null, events, diagnostics };
}

export function qualityGauges(quality: PlatformQuality, day: string, nowMs: number): Gauge[] {
  const gauges: Gauge[] = [];
  const { platform, destination_id } = quality;
  if (quality.score !== null) gauges.push({ day, platform, destination_id, kind: SCORE_KIND[platform], value: quality.score, recorded_at: nowMs });
  for (const [event, keys] of Object.entries(quality.events)) {
    for (const [key, share] of Object.entries(keys)) {
      gauges.push({ day, platform, destination_id, kind: `${KEY_COVERAGE_PREFIX}${event}:${key}`, value: share, recorded_at: nowMs });
    }
  }
  if (quality.uploads) {
    const { accepted_rate, errors } = quality.uploads;
    if (accepted_rate !== null) gauges.push({ day, platform, destination_id, kind: UPLOAD_ACCEPTED_KIND, value: accepted_rate, recorded_at: nowMs });
    for (const e of errors) gauges.push({ day, platform, destination_id, kind: `${UPLOAD_ERRORS_PREFIX}${e.code}`, value: e.share, recorded_at: nowMs });
  }
  return gauges;
}

const UNSUPPORTED: Record<string, string> = {
  tiktok: 'TikTok publishes no event-quality read API; its match indicator stays a manual `matchkey gauge` reading',
};

const DAY_MS = 86_400_000;
const share = (n: number, of: number): number => Math.round((n / of) * 1000) / 10;

/** The outbox read the Google figures are computed from (src/outbox/types.ts uploadOutcomeCounts). */
export type UploadOutcomes = Pick<OutboxStore, 'uploadOutcomeCounts'>;

/**
 * The destination's purchase uploads received in the last 24 hours that Google answered about: delivered, or
 * rejected — by the request (HTTP 400, partial failure) or, on the Data Manager path, later in processing
 * (requestStatus). Pending, dead and skipped rows are not Google's verdict and are left out. Counted by the store
 * (a few rows per destination, whatever the day's volume).
 */
async function endedUploads(outbox: UploadOutcomes | undefined, destinationId: string, nowMs: number) {
  if (!outbox) return null;
  let delivered = 0;
  let rejected = 0;
  let processingRejected = 0;
  const byReason = new Map<string, number>();
  for (const c of await outbox.uploadOutcomeCounts({ destination_id: destinationId, from: nowMs - DAY_MS, to: nowMs })) {
    if (c.status === 'delivered') {
      delivered += c.n;
      continue;
    }
    rejected += c.n;
    const reason = c.error_code ?? 'UNSPECIFIED';
    byReason.set(reason, (byReason.get(reason) ?? 0) + c.n);
    if (c.error_code !== null && isProcessingRejection(c.error_code)) processingRejected += c.n;
  }
  return { delivered, rejected, processingRejected, byReason, total: delivered + rejected };
}

/**
 * Google Ads API path: Google's own summary, beside Matchkey's delivered share of the same day's uploads. Data
 * Manager path: Google offers no account-level read beyond requestStatus, so both sides come from the outbox — what
 * Google's processing accepted, against what its requests accepted.
 */
export async function pullGoogle(settings: GoogleSettings, outbox: UploadOutcomes | undefined, nowMs: number, fetchFn: Fetch = fetch): Promise<PlatformQuality> {
  const ended = await endedUploads(outbox, settings.id, nowMs);
  let uploads: UploadDiagnostics;
  if (settings.api === 'google_ads') {
    const summary = await readGoogleUploadSummary(settings, fetchFn);
    uploads = {
      source: 'google_ads_upload_summary',
      total: summary?.total ?? 0,
      successful: summary?.successful ?? 0,
      success_rate: summary?.success_rate ?? null,
      accepted_rate: ended && ended.total > 0 ? share(ended.delivered, ended.total) : null,
      errors: summary?.alerts ?? [],
      ...(summary ? { summary } : {}),
    };
  } else {
    if (!ended) throw new QualityReadError('the store cannot list delivery outcomes, which the Data Manager upload diagnostics are computed from');
    const { total, delivered } = ended;
    uploads = {
      source: 'data_manager_request_status',
      total,
      successful: delivered,
      success_rate: total > 0 ? share(delivered, total) : null,
      accepted_rate: total > 0 ? share(delivered + ended.processingRejected, total) : null,
      errors: [...ended.byReason].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code, n]) => ({ code, share: share(n, total) })),
    };
  }
  const diagnostics = uploads.errors.map((e) => ({ event: 'purchase', name: `${e.code}: ${e.share}% of uploads`, solution: null }));
  return { platform: 'google', destination_id: settings.id, score: uploads.success_rate, events: {}, diagnostics, uploads };
}

/**
 * Pulls every configured Meta, Pinterest and Google destination (enabled or not left to the caller) and stores the
 * gauges. `outbox`: where Google's figures on the Data Manager path (and Matchkey's side of them) are read from.
 */
export async function pullQuality(destinations: LoadedConfig['destinations'], history: HistoryStore, nowMs: number, fetchFn: Fetch = fetch, outbox?: UploadOutcomes): Promise<QualityPullResult> {
  const day = utcDay(nowMs);
  const result: QualityPullResult = { day, pulled: [], failed: [], unsupported: [] };
  for (const destination of destinations as (CommonSettings & { enabled?: boolean })[]) {
    if (destination.enabled === false) continue;
    try {
      let quality: PlatformQuality;
      if (destination.platform === 'meta') quality = await pullMeta(destination as MetaSettings, fetchFn);
      else if (destination.platform === 'pinterest') quality = await pullPinterest(destination as PinterestSettings, fetchFn);
      else if (destination.platform === 'google') {
        const google = destination as GoogleSettings;
        if (google.api !== 'google_ads' && outbox === undefined) {
          result.unsupported.push({ platform: 'google', destination_id: google.id, note: "the Data Manager API's upload diagnostics are computed from the outbox, which was not opened for this pull" });
          continue;
        }
        quality = await pullGoogle(google, outbox, nowMs, fetchFn);
      }
      else {
        const note = UNSUPPORTED[destination.platform];
        if (note) result.unsupported.push({ platform: destination.platform, destination_id: destination.id, note });
        continue;
      }
      for (const gauge of qualityGauges(quality, day, nowMs)) await history.recordGauge(gauge);
      result.pulled.push(quality);
    } catch (err) {
      if (!(err instanceof QualityReadError) && !(err instanceof AttributedReadError)) throw err;
      result.failed.push({ platform: destination.platform, destination_id: destination.id, error: err.message });
    }
  }
  return result;
}

/** The gateway's daily pull: first 15 s after start (so the demo shows scores at once; one GET per destination), then every 24 hours. */
export function scheduleQualityPulls(opts: { destinations: LoadedConfig['destinations']; history: HistoryStore; outbox?: UploadOutcomes; onResult: (r: QualityPullResult) => void; onError: (err: unknown) => void; firstAfterMs?: number }): { stop(): void } {
  const run = () => pullQuality(opts.destinations, opts.history, Date.now(), fetch, opts.outbox).then(opts.onResult, opts.onError);
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    void run();
    interval = setInterval(() => void run(), DAY_MS);
    interval.unref();
  }, opts.firstAfterMs ?? 15_000);
  first.unref();
  return {
    stop() {
      clearTimeout(first);
      if (interval) clearInterval(interval);
    },
  };
}
