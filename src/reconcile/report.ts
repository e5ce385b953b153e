import { InputError } from '../errors.js';
import { PLATFORM_NAMES, type PlatformName } from '../event/names.js';
import type { DeliveryOutcome } from '../outbox/types.js';
import { DEFAULT_WINDOWS, formatWindow, immatureDays } from './attributed/windows.js';
import { addDays, DAY_MS, startOfDay, type IsoDate } from './dates.js';
import { DeliveryOutcomeFold, summarizeDelivery, type PlatformDelivery } from './delivery.js';
import { fromMilli, ratio, toMilli } from './numbers.js';
import { ordersInWindow, type OrdersInWindow, type OrdersOfRecordSummary } from './orders/summary.js';
import type { AttributedPullFailure, AttributedPullSkip, PulledAttribution } from './attributed/pulled.js';
import type { AttributedRow, AttributionWindow, OrderOfRecord, ReconcileWindow } from './types.js';

export const NO_TOTAL_NOTE =
  'No total across platforms: each platform credits an order to itself whenever the shopper touched its ads within ' +
  'its own attribution window, so the same order is counted by several platforms. Each platform is a share of the ' +
  'orders of record, never an addition to them.';

export interface PlatformSlice {
  days: number;
  orders_of_record: number;
  attributed_conversions: number;
  attributed_value: number | null;
  share: number | null;
  value_share: number | null;
}

export interface PlatformReport {
  attributed_conversions: number;
  /** In `currency`; null when the platform's rows mix currencies (see `value_by_currency`). */
  attributed_value: number | null;
  currency: string | null;
  share: number | null;
  value_share: number | null;
  attribution_window: string;
  /** `platform`: the figures were read from the platform's reporting API, counted with this window (see `pulled`). */
  attribution_window_source: 'default' | 'override' | 'export' | 'platform';
  click_window_days: number;
  /** Days of the window whose click window is still open at as_of; their counts will still grow. */
  immature_days: number;
  immature_from: IsoDate | null;
  /** Only the days whose click window has closed: the comparison that will not move any more. */
  mature: PlatformSlice;
  immature: PlatformSlice;
  value_by_currency?: Record<string, number>;
  rows: number;
  rows_outside_window: number;
  /** Each day of the window: the orders of record paid that day beside what the platform attributed to it. */
  by_day: { date: IsoDate; orders_of_record: number; attributed_conversions: number; attributed_value: number | null }[];
  /** Figures read from the platform's reporting API: per destination, the read and its window in the platform's words. */
  pulled?: { destination_id: string; endpoint: string; attribution_window: string; window_source: PulledAttribution['window_source']; window_detail: string }[];
  notes: string[];
}

export interface ReconcileReport {
  window: ReconcileWindow;
  orders_of_record: OrdersOfRecordSummary & { source: string };
  platforms: Partial<Record<PlatformName, PlatformReport>>;
  delivery: Partial<Record<PlatformName, PlatformDelivery>>;
  delivery_available: boolean;
  /** `--attributed platforms`: destinations whose reporting API could not be read (classified error) or was not read (why). */
  attributed_pull?: { failed: AttributedPullFailure[]; skipped: AttributedPullSkip[] };
  note: string;
  notes: string[];
}

export interface ReportInput {
  window: ReconcileWindow;
  orders: readonly OrderOfRecord[];
  orders_source: string;
  attributed: readonly AttributedRow[];
  /** Windows the export files state (Meta `Attribution setting`). */
  stated_windows?: Partial<Record<PlatformName, AttributionWindow>>;
  /** `--window` overrides. */
  windows?: Partial<Record<PlatformName, AttributionWindow>>;
  /** Figures read from the platforms' reporting APIs (their rows are in `attributed`); their window wins. */
  pulled?: readonly PulledAttribution[];
  attributed_pull?: ReconcileReport['attributed_pull'];
  /** Delivery rows from the store, or their fold; undefined when no store is available. */
  delivery?: readonly DeliveryOutcome[] | DeliveryOutcomeFold;
  /** ordersInWindow(orders, window), when the caller has it already (to fold the delivery side as it is read). */
  orders_in_window?: OrdersInWindow;
  delivery_platforms?: readonly PlatformName[];
  /** Why the delivery side is missing, when `delivery` is undefined. */
  delivery_note?: string;
  notes?: string[];
}

/** Events of the window in unix ms [from 00:00 UTC, the day after `to` 00:00 UTC). */
export function windowRange(window: ReconcileWindow): { from: number; to: number } {
  return { from: startOfDay(window.from), to: startOfDay(window.to) + DAY_MS };
}

export function validateWindow(window: ReconcileWindow): void {
  if (window.from > window.to) throw new InputError('--from', `${window.from} is after --to ${window.to}`, 'invalid_window');
}

function slice(
  rows: readonly AttributedRow[],
  days: readonly IsoDate[],
  countByDay: ReadonlyMap<IsoDate, number>,
  revenueMilliByDay: ReadonlyMap<IsoDate, number> | undefined,
  hasValue: boolean,
): PlatformSlice {
  const orders = days.reduce((n, d) => n + (countByDay.get(d) ?? 0), 0);
  const revenue = days.reduce((n, d) => n + (revenueMilliByDay?.get(d) ?? 0), 0);
  const conversions = rows.reduce((n, r) => n + r.conversions, 0);
  const value = rows.reduce((n, r) => n + toMilli(r.value), 0);
  return {
    days: days.length,
    orders_of_record: orders,
    attributed_conversions: conversions,
    attributed_value: hasValue ? fromMilli(value) : null,
    share: ratio(conversions, orders),
    value_share: hasValue && revenueMilliByDay ? ratio(value, revenue) : null,
  };
}

export function buildReport(input: ReportInput): ReconcileReport {
  const { window } = input;
  validateWindow(window);
  const ow = input.orders_in_window ?? ordersInWindow(input.orders, window);
  const orders = ow.summary;
  const notes = [...(input.notes ?? [])];
  const unknown = Object.entries(orders.unknown_statuses);
  if (unknown.length > 0) {
    notes.push(
      `${orders.excluded.unknown_status} order(s) have a financial status Shopify does not document ` +
        `(${unknown.map(([s, n]) => `"${s}" ${n}`).join(', ')}): left out, in excluded.unknown_status.`,
    );
  }
  const currencies = Object.keys(orders.by_currency);
  if (currencies.length > 1) {
    notes.push(
      `Orders of record are in ${currencies.length} currencies (${currencies.join(', ')}): revenue is given per ` +
        `currency in by_currency and never summed; "revenue" is the ${orders.currency} orders only.`,
    );
  }

  const byPlatform = new Map<PlatformName, AttributedRow[]>();
  for (const r of input.attributed) byPlatform.set(r.platform, [...(byPlatform.get(r.platform) ?? []), r]);

  const pulledBy = new Map<PlatformName, PulledAttribution[]>();
  for (const p of input.pulled ?? []) pulledBy.set(p.platform, [...(pulledBy.get(p.platform) ?? []), p]);

  const platforms: ReconcileReport['platforms'] = {};
  for (const platform of PLATFORM_NAMES.filter((p) => byPlatform.has(p) || pulledBy.has(p))) {
    const all = byPlatform.get(platform) ?? [];
    const pnotes: string[] = [];
    const pulled = pulledBy.get(platform);
    const override = input.windows?.[platform];
    const stated = input.stated_windows?.[platform];
    const fallback = DEFAULT_WINDOWS[platform];
    // Pulled figures were counted with the window the read used (the override, when the API takes one).
    const pulledWindow = pulled?.[0]?.window;
    if (pulled && pulled.some((p) => formatWindow(p.window) !== formatWindow(pulledWindow!))) {
      pnotes.push(`The ${platform} destinations were read with different windows (${pulled.map((p) => `${p.destination_id} ${formatWindow(p.window)}`).join(', ')}); the first decides immature days.`);
    }
    const attribution = pulledWindow ?? override ?? stated ?? fallback;
    if (pulledWindow && override && formatWindow(override) !== formatWindow(pulledWindow)) {
      pnotes.push(`${formatWindow(override)} was given, but ${platform} counted these figures with ${formatWindow(pulledWindow)} (its own setting): that window is reported and used for immature days.`);
    }
    if (!attribution) {
      throw new InputError('--window', `no default attribution window for ${platform}: give one, e.g. --window ${platform}=7d_click`, 'invalid_window');
    }
    const source = pulledWindow ? 'platform' : override ? 'override' : stated ? 'export' : 'default';
    if (override && stated && formatWindow(override) !== formatWindow(stated)) {
      pnotes.push(`The export states ${formatWindow(stated)} but ${formatWindow(override)} was given; the given window is used for immature days.`);
    }

    const inside = all.filter((r) => r.date >= window.from && (r.end_date ?? r.date) <= window.to);
    const outside = all.length - inside.length;
    const straddling = all.filter((r) => r.end_date && r.date <= window.to && r.end_date >= window.from && !inside.includes(r));
    if (straddling.length > 0) {
      pnotes.push(`${straddling.length} row(s) cover a date range that crosses the window and were left out: export with a daily breakdown.`);
    }

    const rowCurrencies = [...new Set(inside.map((r) => r.currency).filter((c): c is string => Boolean(c)))].sort();
    let currency: string | null;
    if (rowCurrencies.length === 0) {
      currency = orders.currency;
      if (inside.length > 0 && currency) {
        pnotes.push(`${pulled ? "The platform's reporting API names no currency" : 'The export names no currency'}; its values are taken to be in ${currency}, the main currency of the orders.`);
      } else if (inside.length > 0) {
        pnotes.push(`${pulled ? "The platform's reporting API names no currency" : 'The export names no currency'} and no order gives one: its value is shown without a currency.`);
      }
    } else if (rowCurrencies.length === 1) {
      currency = rowCurrencies[0]!;
      if (inside.some((r) => !r.currency)) pnotes.push(`Rows without a currency are taken to be in ${currency}.`);
    } else {
      currency = null;
      pnotes.push(`The rows are in several currencies (${rowCurrencies.join(', ')}): the value is given per currency and not summed.`);
    }
    // Only rows in several currencies have no single value; a value in no known currency (no currency named and no
    // orders to take one from) is still the platform's figure, shown without a code.
    const hasValue = rowCurrencies.length <= 1;
    const revenueByDay = currency ? ow.revenueMilliByDay.get(currency) : undefined;
    if (currency && !orders.by_currency[currency] && inside.length > 0) {
      pnotes.push(`No orders of record are in ${currency}, the currency of the attributed value: value_share is not computed.`);
    } else if (currency && currencies.length > 1) {
      pnotes.push(`value_share compares with the ${currency} orders only; orders in other currencies are not converted.`);
    }

    const immature = immatureDays(window, attribution.click_days);
    const immatureFrom = immature[0] ?? null;
    const isMature = (r: AttributedRow) => immatureFrom === null || (r.end_date ?? r.date) < immatureFrom;
    const allDays: IsoDate[] = [];
    for (let d = window.from; d <= window.to; d = addDays(d, 1)) allDays.push(d);
    const matureDays = immatureFrom === null ? allDays : allDays.filter((d) => d < immatureFrom);
    const whole = slice(inside, allDays, ow.countByDay, revenueByDay, hasValue);
    const report: PlatformReport = {
      attributed_conversions: whole.attributed_conversions,
      attributed_value: whole.attributed_value,
      currency,
      share: ratio(whole.attributed_conversions, orders.count),
      value_share: currency && orders.by_currency[currency] ? whole.value_share : null,
      attribution_window: formatWindow(attribution),
      attribution_window_source: source,
      click_window_days: attribution.click_days,
      immature_days: immature.length,
      immature_from: immatureFrom,
      mature: slice(inside.filter(isMature), matureDays, ow.countByDay, revenueByDay, hasValue),
      immature: slice(inside.filter((r) => !isMature(r)), immature, ow.countByDay, revenueByDay, hasValue),
      rows: inside.length,
      rows_outside_window: outside,
      by_day: allDays.map((date) => {
        const day = inside.filter((r) => r.date === date && (r.end_date ?? r.date) === date);
        return {
          date,
          orders_of_record: ow.countByDay.get(date) ?? 0,
          attributed_conversions: day.reduce((n, r) => n + r.conversions, 0),
          attributed_value: hasValue ? fromMilli(day.reduce((n, r) => n + toMilli(r.value), 0)) : null,
        };
      }),
      ...(pulled
        ? {
            pulled: pulled.map((p) => ({
              destination_id: p.destination_id,
              endpoint: p.endpoint,
              attribution_window: formatWindow(p.window),
              window_source: p.window_source,
              window_detail: p.window_detail,
            })),
          }
        : {}),
      notes: pnotes,
    };
    if (!hasValue) {
      const byCur: Record<string, number> = {};
      for (const r of inside) byCur[r.currency ?? '?'] = fromMilli(toMilli(byCur[r.currency ?? '?'] ?? 0) + toMilli(r.value));
      report.value_by_currency = byCur;
    }
    if (!(currency && orders.by_currency[currency])) {
      report.mature.value_share = null;
      report.immature.value_share = null;
    }
    if (immature.length > 0) {
      pnotes.push(
        `${immature.length} day(s) from ${immatureFrom} are immature at ${window.as_of} (${attribution.click_days}-day click window still open): ` +
          'their attributed conversions will still grow; compare on "mature".',
      );
    }
    platforms[platform] = report;
  }

  let delivery: ReconcileReport['delivery'] = {};
  if (input.delivery) {
    delivery = summarizeDelivery({
      outcomes: input.delivery,
      kept: ow.kept,
      paidInWindow: ow.paidInWindow,
      range: windowRange(window),
      ...(input.delivery_platforms ? { platforms: input.delivery_platforms } : {}),
    });
    if (ow.kept.some((o) => o.name !== undefined && o.order_id === o.name)) {
      notes.push('Some orders of record have no order id (only a name), so they cannot be matched to deliveries.');
    }
  } else {
    notes.push(input.delivery_note ?? 'Delivery side not shown: no store was opened (use --orders internal, --store URL or --config FILE).');
  }

  return {
    window,
    orders_of_record: { source: input.orders_source, ...orders },
    platforms,
    delivery,
    delivery_available: input.delivery !== undefined,
    ...(input.attributed_pull ? { attributed_pull: input.attributed_pull } : {}),
    note: NO_TOTAL_NOTE,
    notes,
  };
}
