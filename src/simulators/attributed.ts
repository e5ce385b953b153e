import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { firstValue, isObject, isRevokedCredential, randomHexId } from './checks.js';
import { uploadSummaryAnswer, type QualityState } from './quality.js';

// The four reporting APIs `matchkey reconcile --attributed platforms` reads (src/reconcile/attributed/pull.ts),
// answering in the platforms' shapes (each platform README, "Attributed conversions (read)", cites the source):
//   Meta      GET  /:version/act_:id/insights                    Insights, one row per day, paged through paging.next
//   Pinterest GET  /v5/ad_accounts/:id/analytics                 a list of {DATE, TOTAL_CHECKOUT, …_IN_MICRO_DOLLAR}
//   TikTok    GET  /open_api/v1.3/report/integrated/get/         {code, message, data: {list, page_info}}, paged
//   Google    POST /:version/customers/:cid/googleAds:searchStream  [{results, fieldMask, requestId}]
// What they report is set through POST /_sim/attributed {"meta": {"days": [{date, conversions, value}], …}, …}
// (per platform: days, currency, page_size), read back with GET and reset with DELETE. Without days set, each
// platform reports a steady made-up figure for every day asked (so the demo shows figures for any window). The
// figures set are those of the platform's default window; another window scales them (longer click window, more
// conversions) so a test can see the window was sent. A token starting "invalid" or "expired" is refused the way
// the platform refuses it.

export const ATTRIBUTED_SIM_PLATFORMS = ['meta', 'pinterest', 'tiktok', 'google'] as const;
type SimPlatform = (typeof ATTRIBUTED_SIM_PLATFORMS)[number];

export interface SimDay {
  date: string;
  conversions: number;
  value: number;
}

interface PlatformReport {
  /** When set, only these days have figures; otherwise every day asked gets the made-up figure. */
  days?: SimDay[];
  currency: string;
  /** Rows per page (Meta and TikTok page their answers). */
  page_size: number;
}

const DEFAULT_PAGE_SIZE: Record<SimPlatform, number> = { meta: 25, pinterest: 0, tiktok: 1000, google: 0 };

function defaults(): Record<SimPlatform, PlatformReport> {
  return Object.fromEntries(ATTRIBUTED_SIM_PLATFORMS.map((p) => [p, { currency: 'USD', page_size: DEFAULT_PAGE_SIZE[p] }])) as Record<SimPlatform, PlatformReport>;
}

/** A platform's steady figure for a day: a purchase or a few, varying by weekday, ~50 each (a small shop). */
const BASE: Record<SimPlatform, number> = { meta: 2, pinterest: 0, tiktok: 1, google: 1 };
function madeUp(platform: SimPlatform, date: string): SimDay {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const conversions = BASE[platform] + (weekday % 3);
  return { date, conversions, value: Math.round(conversions * 52.5 * 100) / 100 };
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
const daySpan = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

function figures(report: PlatformReport, platform: SimPlatform, from: string, to: string): SimDay[] {
  if (report.days) return report.days.filter((d) => d.date >= from && d.date <= to).sort((a, b) => (a.date < b.date ? -1 : 1));
  return eachDay(from, to).map((d) => madeUp(platform, d));
}

const scale = (n: number, factor: number) => Math.round(n * factor);
const money = (n: number) => Math.round(n * 100) / 100;

function bearer(request: FastifyRequest): string | undefined {
  const header = firstValue(request.headers.authorization);
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

const metaError = (reply: FastifyReply, code: number, message: string, status = 400) =>
  reply.code(status).send({ error: { message, type: 'OAuthException', code, fbtrace_id: randomHexId(8) } });

/** Meta's click windows relative to the default 7-day click (1d_click sees fewer purchases, 28d_click more). */
const META_CLICK_FACTOR: Record<string, number> = { '1d_click': 0.6, '7d_click': 1, '28d_click': 1.2 };
/** Of the default 7d_click + 1d_view figure, the share a view rather than a click earned. */
const VIEW_SHARE = 0.2;

function metaAction(type: string, total: number, windows: string[], asValue: boolean): Record<string, string> {
  const view = asValue ? money(total * VIEW_SHARE) : scale(total, VIEW_SHARE);
  const click = asValue ? money(total - view) : total - view;
  const entry: Record<string, string> = { action_type: type };
  let sum = 0;
  for (const w of windows) {
    const n = w.endsWith('_view') ? view : asValue ? money(click * (META_CLICK_FACTOR[w] ?? 1)) : scale(click, META_CLICK_FACTOR[w] ?? 1);
    entry[w] = String(n);
    sum += n;
  }
  entry.value = String(asValue ? money(sum) : sum);
  return entry;
}

export function registerAttributedRoutes(app: FastifyInstance, quality?: QualityState): void {
  let reports = defaults();

  // Meta Insights: https://developers.facebook.com/docs/marketing-api/insights/
  app.get('/:version/act_:adAccountId/insights', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const { version, adAccountId } = request.params as { version: string; adAccountId: string };
    const token = bearer(request) ?? query.access_token;
    if (!token) return metaError(reply, 104, 'An access token is required to request this resource.');
    if (isRevokedCredential(token)) return metaError(reply, 190, 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.');
    if (adAccountId.startsWith('unknown') || !/^\d+$/.test(adAccountId)) {
      return metaError(reply, 100, `Unsupported get request. Object with ID 'act_${adAccountId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`);
    }
    let range: { since?: unknown; until?: unknown };
    let windows: unknown;
    try {
      range = JSON.parse(query.time_range ?? '{}') as typeof range;
      windows = JSON.parse(query.action_attribution_windows ?? '["7d_click","1d_view"]');
    } catch {
      return metaError(reply, 100, '(#100) time_range and action_attribution_windows must be JSON');
    }
    if (typeof range.since !== 'string' || typeof range.until !== 'string' || !ISO_DATE.test(range.since) || !ISO_DATE.test(range.until) || range.since > range.until) {
      return metaError(reply, 100, '(#100) param time_range must be {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"} with since <= until');
    }
    const allowed = new Set(['1d_click', '7d_click', '28d_click', '1d_view', '1d_ev']);
    if (!Array.isArray(windows) || windows.length === 0 || !windows.every((w) => typeof w === 'string' && allowed.has(w))) {
      return metaError(reply, 100, `(#100) action_attribution_windows must be a list of ${[...allowed].join(', ')}`);
    }
    const report = reports.meta;
    const rows = figures(report, 'meta', range.since, range.until).filter((d) => d.conversions > 0 || d.value > 0);
    const limit = Math.max(1, Math.min(Number(query.limit) || 25, report.page_size || 25));
    const offset = query.after ? Number(Buffer.from(query.after, 'base64url').toString('utf8')) || 0 : 0;
    const page = rows.slice(offset, offset + limit).map((d) => ({
      actions: [
        metaAction('offsite_conversion.fb_pixel_purchase', d.conversions, windows as string[], false),
        metaAction('omni_purchase', d.conversions, windows as string[], false),
        { action_type: 'link_click', value: String(d.conversions * 14) },
      ],
      action_values: [
        metaAction('offsite_conversion.fb_pixel_purchase', d.value, windows as string[], true),
        metaAction('omni_purchase', d.value, windows as string[], true),
      ],
      account_currency: report.currency,
      date_start: d.date,
      date_stop: d.date,
    }));
    const cursor = (n: number) => Buffer.from(String(n), 'utf8').toString('base64url');
    const paging: Record<string, unknown> = { cursors: { before: cursor(offset), after: cursor(offset + page.length) } };
    if (offset + limit < rows.length) {
      // Meta answers an absolute graph.facebook.com URL carrying every parameter and the cursor.
      const next = new URLSearchParams(query as Record<string, string>);
      next.set('after', cursor(offset + limit));
      paging.next = `https://graph.facebook.com/${version}/act_${adAccountId}/insights?${next}`;
    }
    return { data: page, paging };
  });

  // Pinterest ad account analytics: https://developers.pinterest.com/docs/api/v5/#operation/ad_account/analytics
  const PINTEREST_WINDOW_DAYS = new Set(['0', '1', '7', '14', '30', '60']);
  const PINTEREST_CLICK_FACTOR: Record<string, number> = { '0': 0, '1': 0.4, '7': 0.75, '14': 0.9, '30': 1, '60': 1.1 };
  app.get('/v5/ad_accounts/:adAccountId/analytics', async (request, reply) => {
    const token = bearer(request);
    if (!token || isRevokedCredential(token)) return reply.code(401).send({ code: 2, message: 'Authentication failed.' });
    const { adAccountId } = request.params as { adAccountId: string };
    if (adAccountId.startsWith('unknown')) return reply.code(403).send({ code: 29, message: "You are not permitted to access that resource." });
    const q = request.query as Record<string, string | undefined>;
    const bad = (message: string) => reply.code(400).send({ code: 1, message });
    if (!q.start_date || !q.end_date || !ISO_DATE.test(q.start_date) || !ISO_DATE.test(q.end_date) || q.start_date > q.end_date) return bad('Invalid parameters. start_date and end_date are required (YYYY-MM-DD).');
    if (daySpan(q.start_date, q.end_date) > 90) return bad('Invalid parameters. The date range must be at most 90 days.');
    if (!q.columns) return bad('Invalid parameters. columns is required.');
    if (!['TOTAL', 'DAY', 'HOUR', 'WEEK', 'MONTH'].includes(q.granularity ?? '')) return bad('Invalid parameters. granularity must be one of TOTAL, DAY, HOUR, WEEK, MONTH.');
    for (const w of ['click_window_days', 'engagement_window_days', 'view_window_days']) {
      if (q[w] !== undefined && !PINTEREST_WINDOW_DAYS.has(q[w])) return bad(`Invalid parameters. ${w} must be one of 0, 1, 7, 14, 30, 60.`);
    }
    if (q.conversion_report_time !== undefined && q.conversion_report_time !== 'TIME_OF_AD_ACTION' && q.conversion_report_time !== 'TIME_OF_CONVERSION') {
      return bad('Invalid parameters. conversion_report_time must be TIME_OF_AD_ACTION or TIME_OF_CONVERSION.');
    }
    const factor = PINTEREST_CLICK_FACTOR[q.click_window_days ?? '30'] ?? 1;
    const columns = q.columns.split(',');
    return figures(reports.pinterest, 'pinterest', q.start_date, q.end_date).map((d) => {
      const row: Record<string, unknown> = { DATE: d.date, AD_ACCOUNT_ID: adAccountId };
      if (columns.includes('TOTAL_CHECKOUT')) row.TOTAL_CHECKOUT = scale(d.conversions, factor);
      if (columns.includes('TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR')) row.TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR = Math.round(d.value * factor * 1_000_000);
      return row;
    });
  });

  // TikTok integrated report: https://business-api.tiktok.com/portal/docs?id=1740302848100353
  app.get('/open_api/v1.3/report/integrated/get/', async (request) => {
    const q = request.query as Record<string, string | undefined>;
    const tiktok = (code: number, message: string, data: unknown = {}) => ({ code, message, request_id: randomHexId(12), data });
    const token = firstValue(request.headers['access-token']);
    if (!token) return tiktok(40104, 'Access token is null. Please set Access-Token in the request header.');
    if (isRevokedCredential(token)) return tiktok(40105, 'Access token is incorrect or has been revoked.');
    if (!q.advertiser_id || !/^\d+$/.test(q.advertiser_id)) return tiktok(40002, 'advertiser_id: Missing data for required field.');
    if (q.advertiser_id.startsWith('0')) return tiktok(40001, 'No permission to operate advertiser.');
    if (q.report_type !== 'BASIC') return tiktok(40002, 'report_type: Not a valid choice.');
    if (!['AUCTION_ADVERTISER', 'AUCTION_CAMPAIGN', 'AUCTION_ADGROUP', 'AUCTION_AD'].includes(q.data_level ?? '')) return tiktok(40002, 'data_level: Not a valid choice.');
    let dimensions: unknown;
    let metrics: unknown;
    try {
      dimensions = JSON.parse(q.dimensions ?? 'null');
      metrics = JSON.parse(q.metrics ?? '[]');
    } catch {
      return tiktok(40002, 'dimensions and metrics must be JSON lists.');
    }
    if (!Array.isArray(dimensions) || !dimensions.includes('stat_time_day')) return tiktok(40002, 'dimensions: stat_time_day is required for a daily report.');
    if (!Array.isArray(metrics)) return tiktok(40002, 'metrics: Not a valid list.');
    if (!q.start_date || !q.end_date || !ISO_DATE.test(q.start_date) || !ISO_DATE.test(q.end_date) || q.start_date > q.end_date) return tiktok(40002, 'start_date and end_date are required (YYYY-MM-DD).');
    if (daySpan(q.start_date, q.end_date) > 30) return tiktok(40002, 'The time range cannot exceed 30 days when stat_time_day is a dimension.');
    const rows = figures(reports.tiktok, 'tiktok', q.start_date, q.end_date);
    const pageSize = Math.max(1, Math.min(Number(q.page_size) || 10, 1000, reports.tiktok.page_size || 1000));
    const page = Math.max(1, Number(q.page) || 1);
    const list = rows.slice((page - 1) * pageSize, page * pageSize).map((d) => {
      const m: Record<string, string> = {};
      if (metrics.includes('complete_payment')) m.complete_payment = String(d.conversions);
      if (metrics.includes('total_complete_payment_rate')) m.total_complete_payment_rate = d.value.toFixed(2);
      if (metrics.includes('currency')) m.currency = reports.tiktok.currency;
      return { dimensions: { stat_time_day: `${d.date} 00:00:00` }, metrics: m };
    });
    return tiktok(0, 'OK', { list, page_info: { page, page_size: pageSize, total_number: rows.length, total_page: Math.ceil(rows.length / pageSize) } });
  });

  // Google Ads searchStream: https://developers.google.com/google-ads/api/docs/conversions/reporting
  app.post('/:version/customers/:cid/:method', async (request, reply) => {
    const { version, cid, method } = request.params as { version: string; cid: string; method: string };
    const rpc = (status: number, rpcStatus: string, message: string) => reply.code(status).send([{ error: { code: status, message, status: rpcStatus } }]);
    if (method !== 'googleAds:searchStream' || !/^v\d+$/.test(version) || !/^\d+$/.test(cid)) return rpc(404, 'NOT_FOUND', `Method not found: ${request.url}`);
    const token = bearer(request);
    if (!token || isRevokedCredential(token)) return rpc(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
    if (!firstValue(request.headers['developer-token'])) return rpc(400, 'INVALID_ARGUMENT', 'The developer-token parameter is required for all requests.');
    if (cid.startsWith('0')) return rpc(403, 'PERMISSION_DENIED', "The caller does not have permission. User doesn't have permission to access customer.");
    const query = isObject(request.body) && typeof request.body.query === 'string' ? request.body.query : '';
    if (query === '') return rpc(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument: query is required.');
    const ids = [...query.matchAll(/conversionActions\/(\d+)|conversion_action\.id\s*(?:=|IN\s*\()\s*([\d,\s]+)/gi)].flatMap((m) => (m[1] ?? m[2] ?? '').split(/[,\s]+/)).filter((s) => /^\d+$/.test(s));
    const requestId = randomHexId(11);
    if (/\bFROM\s+offline_conversion_upload_client_summary\b/i.test(query)) return uploadSummaryAnswer(quality?.googleUploadSummary() ?? null, cid, query, requestId);
    if (/\bFROM\s+conversion_action\b/i.test(query)) {
      const results = [...new Set(ids)].map((id) => ({
        conversionAction: {
          resourceName: `customers/${cid}/conversionActions/${id}`,
          id,
          name: 'Purchase',
          clickThroughLookbackWindowDays: '30',
          viewThroughLookbackWindowDays: '1',
        },
      }));
      return [{ results, fieldMask: 'conversionAction.id,conversionAction.name,conversionAction.clickThroughLookbackWindowDays,conversionAction.viewThroughLookbackWindowDays', requestId }];
    }
    const between = /segments\.date\s+BETWEEN\s+'(\d{4}-\d{2}-\d{2})'\s+AND\s+'(\d{4}-\d{2}-\d{2})'/i.exec(query);
    if (!between) return rpc(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument: a finite date range (segments.date BETWEEN) is required.');
    const action = ids[0] ?? '1';
    const results = figures(reports.google, 'google', between[1]!, between[2]!).map((d) => ({
      customer: { resourceName: `customers/${cid}`, currencyCode: reports.google.currency },
      campaign: { resourceName: `customers/${cid}/campaigns/1001` },
      segments: { date: d.date, conversionAction: `customers/${cid}/conversionActions/${action}` },
      metrics: { allConversions: d.conversions, allConversionsValue: d.value },
    }));
    return [{ results, fieldMask: 'customer.currencyCode,segments.date,segments.conversionAction,metrics.allConversions,metrics.allConversionsValue', requestId }];
  });

  app.get('/_sim/attributed', async () => reports);
  app.post('/_sim/attributed', async (request, reply) => {
    const body = request.body;
    const invalid = (message: string, path: string) => reply.code(400).send({ error: { code: 'invalid', message, path } });
    if (!isObject(body)) return invalid(`expected {"meta": {"days": [{"date", "conversions", "value"}], "currency", "page_size"}, …} for ${ATTRIBUTED_SIM_PLATFORMS.join(', ')}`, '');
    const next = { ...reports };
    for (const [key, value] of Object.entries(body)) {
      if (!(ATTRIBUTED_SIM_PLATFORMS as readonly string[]).includes(key)) return invalid(`unknown platform ${key} (expected ${ATTRIBUTED_SIM_PLATFORMS.join(', ')})`, key);
      if (!isObject(value)) return invalid('expected an object', key);
      const platform = key as SimPlatform;
      const report: PlatformReport = { ...next[platform] };
      for (const field of Object.keys(value)) if (!['days', 'currency', 'page_size'].includes(field)) return invalid(`unknown field ${field} (expected days, currency, page_size)`, `${key}.${field}`);
      if (value.days !== undefined) {
        if (value.days === null) delete report.days;
        else if (!Array.isArray(value.days)) return invalid('expected a list of {date, conversions, value}', `${key}.days`);
        else {
          const days: SimDay[] = [];
          for (const [i, d] of value.days.entries()) {
            if (!isObject(d) || typeof d.date !== 'string' || !ISO_DATE.test(d.date) || typeof d.conversions !== 'number' || typeof d.value !== 'number') {
              return invalid('expected {date: "YYYY-MM-DD", conversions: number, value: number}', `${key}.days.${i}`);
            }
            days.push({ date: d.date, conversions: d.conversions, value: d.value });
          }
          report.days = days;
        }
      }
      if (value.currency !== undefined) {
        if (typeof value.currency !== 'string' || !/^[A-Z]{3}$/.test(value.currency)) return invalid('expected a 3-letter currency code', `${key}.currency`);
        report.currency = value.currency;
      }
      if (value.page_size !== undefined) {
        if (typeof value.page_size !== 'number' || !Number.isInteger(value.page_size) || value.page_size < 1) return invalid('expected a positive integer', `${key}.page_size`);
        report.page_size = value.page_size;
      }
      next[platform] = report;
    }
    reports = next;
    return reports;
  });
  app.delete('/_sim/attributed', async (_request, reply) => {
    reports = defaults();
    return reply.code(204).send();
  });
}
