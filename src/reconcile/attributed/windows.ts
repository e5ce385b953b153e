import { InputError } from '../../errors.js';
import { PLATFORM_NAMES, type PlatformName } from '../../event/names.js';
import { addDays, eachDay, type IsoDate } from '../dates.js';
import type { AttributionWindow, ReconcileWindow } from '../types.js';

/**
 * Each platform's default attribution setting (docs/RECONCILE.md "Attribution windows"): Meta 7-day click + 1-day
 * view, TikTok 7-day click + 1-day view, Pinterest 30-day click / 30-day engagement / 1-day view
 * (github.com/pinterest/api-description reporting parameters). Google Ads' default click-through conversion window is
 * 30 days. Klaviyo has no default here: a Klaviyo export needs `--window klaviyo=…`.
 */
export const DEFAULT_WINDOWS: Partial<Record<PlatformName, AttributionWindow>> = {
  meta: { click_days: 7, view_days: 1 },
  tiktok: { click_days: 7, view_days: 1 },
  pinterest: { click_days: 30, engagement_days: 30, view_days: 1 },
  google: { click_days: 30 },
};

/** `7d_click,1d_view` (click, engagement, view in that order). */
export function formatWindow(w: AttributionWindow): string {
  const parts = [`${w.click_days}d_click`];
  if (w.engagement_days !== undefined) parts.push(`${w.engagement_days}d_engagement`);
  if (w.view_days !== undefined) parts.push(`${w.view_days}d_view`);
  return parts.join(',');
}

const TOKEN = /^(\d{1,3})d_(click|view|engagement)$/;

/** Parses `--window meta=28d_click,1d_view`; the click window is required (it decides when a day is mature). */
export function parseWindowOverride(spec: string, path = '--window'): [PlatformName, AttributionWindow] {
  const eq = spec.indexOf('=');
  const platform = spec.slice(0, eq).trim().toLowerCase();
  if (eq < 0 || !(PLATFORM_NAMES as readonly string[]).includes(platform)) {
    throw new InputError(path, `expected PLATFORM=Nd_click[,Nd_view][,Nd_engagement] with PLATFORM one of ${PLATFORM_NAMES.join(', ')}, got "${spec}"`, 'invalid_window');
  }
  const w: Partial<AttributionWindow> = {};
  for (const token of spec.slice(eq + 1).split(',')) {
    const m = TOKEN.exec(token.trim());
    if (!m) throw new InputError(path, `"${token.trim()}" is not Nd_click, Nd_view or Nd_engagement`, 'invalid_window');
    const days = Number(m[1]);
    if (m[2] === 'click') w.click_days = days;
    else if (m[2] === 'view') w.view_days = days;
    else w.engagement_days = days;
  }
  if (w.click_days === undefined) throw new InputError(path, `${platform}: a click window (Nd_click) is required`, 'invalid_window');
  return [platform as PlatformName, w as AttributionWindow];
}

/**
 * Meta's `Attribution setting` column (`7-day click or 1-day view`, `7-day click, 1-day view or 1-day
 * engaged-view`, `1-day click`): the window the export was actually made with. Undefined when unreadable.
 */
export function parseMetaAttributionSetting(text: string): AttributionWindow | undefined {
  const w: Partial<AttributionWindow> = {};
  for (const m of text.toLowerCase().matchAll(/(\d+)[- ]day[s]? (click|view|engaged[- ]view)/g)) {
    if (m[2] === 'click') w.click_days = Number(m[1]);
    else if (m[2] === 'view') w.view_days = Number(m[1]);
  }
  return w.click_days === undefined ? undefined : (w as AttributionWindow);
}

/**
 * Days of the window whose click window has not closed by `as_of`: day d is immature when d + click_days > as_of,
 * because a click on d may still turn into a conversion the platform will credit to d.
 */
export function immatureDays(window: ReconcileWindow, clickDays: number): IsoDate[] {
  return eachDay(window.from, window.to).filter((d) => addDays(d, clickDays) > window.as_of);
}
