import { createHmac } from 'node:crypto';
import { authFailure, permanent, retryable, type DeliveryError } from '../../errors.js';
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
import { DEFAULT_WINDOWS } from '../../reconcile/attributed/windows.js';
import type { AttributionWindow } from '../../reconcile/types.js';
import { withBaseUrl } from '../types.js';
import type { MetaSettings } from './settings.js';

// Attributed purchases from the Marketing API Insights edge (./README.md "Attributed conversions (read)"):
//   GET /{version}/act_{ad_account_id}/insights?level=account&time_increment=1&time_range={since,until}
//       &fields=actions,action_values,account_currency&action_attribution_windows=["7d_click","1d_view"]
// https://developers.facebook.com/docs/marketing-api/insights/ ; the per-window keys of each action:
// https://developers.facebook.com/docs/marketing-api/reference/ads-action-stats/

/**
 * Website purchases the pixel and the Conversions API report (`offsite_conversion.fb_pixel_purchase`); accounts
 * that only expose the omnichannel roll-up get `omni_purchase`. Never both: the roll-up contains the pixel figure.
 */
export const META_PURCHASE_ACTION_TYPES = ['offsite_conversion.fb_pixel_purchase', 'omni_purchase'] as const;

/** The windows Insights still returns (7d_view and 28d_view were withdrawn on 2026-01-12, developers.facebook.com/blog/post/2025/10/16/ads-insights-api-metric-availability-updates/). */
const CLICK_WINDOWS = new Set([1, 7, 28]);
const VIEW_WINDOWS = new Set([1]);

export function metaWindowKeys(window: AttributionWindow): string[] {
  if (!CLICK_WINDOWS.has(window.click_days)) {
    throw new AttributedReadError(permanent('UNSUPPORTED_WINDOW', `Meta Insights reports 1d_click, 7d_click or 28d_click, not ${window.click_days}d_click`));
  }
  const keys = [`${window.click_days}d_click`];
  if (window.view_days !== undefined) {
    if (!VIEW_WINDOWS.has(window.view_days)) {
      throw new AttributedReadError(permanent('UNSUPPORTED_WINDOW', `Meta Insights reports 1d_view only, not ${window.view_days}d_view`));
    }
    keys.push(`${window.view_days}d_view`);
  }
  return keys;
}

/** Meta's error body: 190/102 token, 10 and 200–299 permissions → auth; 4/17/32/613 throttling → retryable. */
function metaError(status: number, body: unknown): DeliveryError | null {
  const err = isObject(body) && isObject(body.error) ? body.error : null;
  if (!err || typeof err.code !== 'number') return null;
  const code = err.code;
  const message = `Meta error ${code}${typeof err.error_subcode === 'number' ? `/${err.error_subcode}` : ''}: ${typeof err.message === 'string' ? err.message : 'no message'}`;
  if (code === 190 || code === 102 || code === 10 || (code >= 200 && code <= 299)) return authFailure(`meta_${code}`, message);
  if (code === 4 || code === 17 || code === 32 || code === 613 || code === 80000 || code === 80004 || status >= 500) return retryable(`meta_${code}`, message);
  return permanent(`meta_${code}`, message);
}

function purchaseFigure(list: unknown, keys: readonly string[]): number | null {
  if (!Array.isArray(list)) return null;
  for (const type of META_PURCHASE_ACTION_TYPES) {
    const action = list.find((a) => isObject(a) && a.action_type === type);
    if (!isObject(action)) continue;
    // The per-window keys are what was asked for; `value` (the account's default window) only when none came back.
    const perWindow = keys.map((k) => numberOf(action[k])).filter((n): n is number => n !== null);
    if (perWindow.length > 0) return perWindow.reduce((a, b) => a + b, 0);
    return numberOf(action.value);
  }
  return null;
}

/** Pages are followed through `paging.next` (absolute URLs); at most this many, so a looping cursor cannot hang a report. */
const MAX_PAGES = 100;

export async function readMetaAttributed(settings: MetaSettings, range: AttributedReadRange, fetchFn: Fetch = fetch): Promise<PulledAttribution> {
  const reporting = settings.reporting;
  if (!reporting) throw new AttributedReadError(permanent('NOT_CONFIGURED', 'reporting.ad_account_id is not set'));
  const window = range.window ?? DEFAULT_WINDOWS.meta!;
  const keys = metaWindowKeys(window);
  const token = reporting.access_token ?? settings.access_token;
  const query = new URLSearchParams({
    level: 'account',
    time_increment: '1',
    time_range: JSON.stringify({ since: range.from, until: range.to }),
    fields: 'actions,action_values,account_currency',
    action_attribution_windows: JSON.stringify(keys),
    action_breakdowns: 'action_type',
    limit: '100',
  });
  // Graph API: with "Require app secret" on, every call carries the proof (developers.facebook.com/docs/graph-api/securing-requests).
  if (settings.app_secret) query.set('appsecret_proof', createHmac('sha256', settings.app_secret).update(token).digest('hex'));
  const path = `/${settings.api_version}/act_${reporting.ad_account_id}/insights`;
  let url: string | undefined = withBaseUrl(`https://graph.facebook.com${path}?${query}`, settings.base_url);
  const byDay = new Map<string, { conversions: number; value: number }>();
  let currency: string | undefined;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const body = await readJson(fetchFn, url, { headers: { authorization: `Bearer ${token}` } }, metaError);
    if (!isObject(body) || !Array.isArray(body.data)) throw new AttributedReadError(permanent('UNEXPECTED_ANSWER', 'the Insights answer has no "data" list'));
    for (const row of body.data) {
      if (!isObject(row) || typeof row.date_start !== 'string') continue;
      if (typeof row.account_currency === 'string') currency ??= row.account_currency;
      const conversions = purchaseFigure(row.actions, keys) ?? 0;
      const value = purchaseFigure(row.action_values, keys) ?? 0;
      addDay(byDay, row.date_start.slice(0, 10), conversions, value);
    }
    const next = isObject(body.paging) && typeof body.paging.next === 'string' ? body.paging.next : undefined;
    // The next page keeps Meta's absolute URL; through base_url (the simulators) only its path and query are kept.
    url = next ? withBaseUrl(next, settings.base_url) : undefined;
  }
  return {
    platform: 'meta',
    destination_id: settings.id,
    window,
    window_source: 'requested',
    window_detail: `action_attribution_windows=${keys.join(',')}`,
    endpoint: `GET ${path}`,
    ...(currency ? { currency } : {}),
    days: daysOf(byDay),
  };
}
