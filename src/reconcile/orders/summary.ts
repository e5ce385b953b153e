import { utcDate, type IsoDate } from '../dates.js';
import { fromMilli, toMilli } from '../numbers.js';
import type { OrderOfRecord, ReconcileWindow } from '../types.js';
import { financialStatusKind } from './financial-status.js';

export interface CurrencyTotals {
  count: number;
  revenue: number;
  refunded_amount: number;
}

/** Why an order read is not counted, in the order they are tried (docs/RECONCILE.md "Orders of record"). */
export const EXCLUSION_REASONS = ['test', 'cancelled', 'unknown_status', 'unpaid', 'refunded'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
/** What the report does with one order read: every order read has exactly one. */
export type OrderOutcome = 'counted' | 'outside_window' | ExclusionReason;

/** The orders of record of a window, as the report prints them (docs/RECONCILE.md "orders_of_record"). */
export interface OrdersOfRecordSummary {
  /** Every order the source holds (one per order, not per line item): read = count + Σ excluded + outside_window. */
  read: number;
  /** Orders kept, all currencies (a count of orders needs no conversion). */
  count: number;
  /** Revenue of the orders in `currency` only; other currencies are in `by_currency`, never added in. */
  revenue: number;
  /** The main currency: the one with the most orders (then the most revenue, then alphabetical); null when none. */
  currency: string | null;
  by_currency: Record<string, CurrencyTotals>;
  /** In the window but left out, each order once, in the first reason that applies (EXCLUSION_REASONS). */
  excluded: Record<ExclusionReason, number>;
  /** The financial statuses Shopify does not document, as read, with how many orders had each (excluded.unknown_status). */
  unknown_statuses: Record<string, number>;
  /** Refunded on the kept (partially refunded) orders, in `currency`. */
  refunded_amount: number;
  partially_refunded: number;
  /** Orders whose time (paid, or placed when never paid) is outside [from, to] (not counted anywhere else). */
  outside_window: number;
}

export interface OrdersInWindow {
  summary: OrdersOfRecordSummary;
  /** The kept orders. */
  kept: OrderOfRecord[];
  /** Every order paid in the window, kept or excluded, by order_id (delivery matching). */
  paidInWindow: Map<string, { order: OrderOfRecord; excluded?: ExclusionReason }>;
  /** Kept orders per UTC paid date. */
  countByDay: Map<IsoDate, number>;
  /** Kept revenue per currency per UTC paid date, in thousandths. */
  revenueMilliByDay: Map<string, Map<IsoDate, number>>;
}

/**
 * The one outcome of an order. The window goes by the paid time, or the time it was placed when it was never paid
 * (an order with neither cannot be placed outside). Then: test; cancelled (wins over any financial status: a
 * voided order is cancelled too); a status Shopify does not document; never paid; fully refunded.
 */
export function orderOutcome(o: OrderOfRecord, window: ReconcileWindow): OrderOutcome {
  const at = o.paid_at ?? o.created_at;
  if (at !== undefined) {
    const day = utcDate(at);
    if (day < window.from || day > window.to) return 'outside_window';
  }
  if (o.test) return 'test';
  if (o.cancelled) return 'cancelled';
  const kind = financialStatusKind(o.financial_status);
  if (kind === 'unknown') return 'unknown_status';
  if (kind === 'unpaid' || o.paid_at === undefined) return 'unpaid';
  if (o.fully_refunded) return 'refunded';
  return 'counted';
}

export function ordersInWindow(orders: readonly OrderOfRecord[], window: ReconcileWindow): OrdersInWindow {
  const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
  const unknownStatuses: Record<string, number> = {};
  const kept: OrderOfRecord[] = [];
  const paidInWindow: OrdersInWindow['paidInWindow'] = new Map();
  const countByDay = new Map<IsoDate, number>();
  const revenueMilliByDay = new Map<string, Map<IsoDate, number>>();
  const totals = new Map<string, { count: number; revenue: number; refunded: number }>();
  let outside = 0;
  let partially = 0;
  for (const o of orders) {
    const outcome = orderOutcome(o, window);
    if (outcome === 'outside_window') {
      outside++;
      continue;
    }
    if (o.paid_at !== undefined) paidInWindow.set(o.order_id, outcome === 'counted' ? { order: o } : { order: o, excluded: outcome });
    if (outcome !== 'counted') {
      excluded[outcome]++;
      if (outcome === 'unknown_status' && o.financial_status) {
        unknownStatuses[o.financial_status] = (unknownStatuses[o.financial_status] ?? 0) + 1;
      }
      continue;
    }
    // orderOutcome counts only an order with a paid time.
    const day = utcDate(o.paid_at!);
    kept.push(o);
    countByDay.set(day, (countByDay.get(day) ?? 0) + 1);
    const perDay = revenueMilliByDay.get(o.currency) ?? new Map<IsoDate, number>();
    perDay.set(day, (perDay.get(day) ?? 0) + toMilli(o.total));
    revenueMilliByDay.set(o.currency, perDay);
    const t = totals.get(o.currency) ?? { count: 0, revenue: 0, refunded: 0 };
    t.count++;
    t.revenue += toMilli(o.total);
    t.refunded += toMilli(o.refunded_amount);
    totals.set(o.currency, t);
    if (o.refunded_amount > 0) partially++;
  }
  const ranked = [...totals.entries()].sort(
    ([ca, a], [cb, b]) => b.count - a.count || b.revenue - a.revenue || ca.localeCompare(cb),
  );
  const main = ranked[0];
  const byCurrency: Record<string, CurrencyTotals> = {};
  for (const [c, t] of [...totals.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    byCurrency[c] = { count: t.count, revenue: fromMilli(t.revenue), refunded_amount: fromMilli(t.refunded) };
  }
  return {
    summary: {
      read: orders.length,
      count: kept.length,
      revenue: main ? fromMilli(main[1].revenue) : 0,
      currency: main ? main[0] : null,
      by_currency: byCurrency,
      excluded,
      unknown_statuses: unknownStatuses,
      refunded_amount: main ? fromMilli(main[1].refunded) : 0,
      partially_refunded: partially,
      outside_window: outside,
    },
    kept,
    paidInWindow,
    countByDay,
    revenueMilliByDay,
  };
}

/** The invariant in words and figures: `13 orders = 7 kept + 4 left out (…) + 2 outside the window`. */
export function accountingLine(s: Pick<OrdersOfRecordSummary, 'read' | 'count' | 'excluded' | 'outside_window'>): string {
  const left = EXCLUSION_REASONS.reduce((n, r) => n + s.excluded[r], 0);
  const parts = EXCLUSION_REASONS.map((r) => `${s.excluded[r]} ${r}`).join(' + ');
  return `${s.read} orders = ${s.count} kept + ${left} left out (${parts}) + ${s.outside_window} outside the window`;
}
