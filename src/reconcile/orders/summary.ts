import { utcDate, type IsoDate } from '../dates.js';
import { fromMilli, toMilli } from '../numbers.js';
import type { OrderOfRecord, ReconcileWindow } from '../types.js';

export interface CurrencyTotals {
  count: number;
  revenue: number;
  refunded_amount: number;
}

/** The orders of record of a window, as the report prints them (docs/RECONCILE.md "orders_of_record"). */
export interface OrdersOfRecordSummary {
  /** Orders kept, all currencies (a count of orders needs no conversion). */
  count: number;
  /** Revenue of the orders in `currency` only; other currencies are in `by_currency`, never added in. */
  revenue: number;
  /** The main currency: the one with the most orders (then the most revenue, then alphabetical); null when none. */
  currency: string | null;
  by_currency: Record<string, CurrencyTotals>;
  /** Paid in the window but left out; an order is counted once, in the first that applies: test, cancelled, refunded. */
  excluded: { test: number; cancelled: number; refunded: number };
  /** Refunded on the kept (partially refunded) orders, in `currency`. */
  refunded_amount: number;
  partially_refunded: number;
  /** Paid orders outside [from, to] (not counted anywhere else). */
  outside_window: number;
}

export interface OrdersInWindow {
  summary: OrdersOfRecordSummary;
  /** The kept orders. */
  kept: OrderOfRecord[];
  /** Every order paid in the window, kept or excluded, by order_id (delivery matching). */
  paidInWindow: Map<string, { order: OrderOfRecord; excluded?: 'test' | 'cancelled' | 'refunded' }>;
  /** Kept orders per UTC paid date. */
  countByDay: Map<IsoDate, number>;
  /** Kept revenue per currency per UTC paid date, in thousandths. */
  revenueMilliByDay: Map<string, Map<IsoDate, number>>;
}

function exclusion(o: OrderOfRecord): 'test' | 'cancelled' | 'refunded' | undefined {
  if (o.test) return 'test';
  if (o.cancelled) return 'cancelled';
  if (o.fully_refunded) return 'refunded';
  return undefined;
}

export function ordersInWindow(orders: readonly OrderOfRecord[], window: ReconcileWindow): OrdersInWindow {
  const excluded = { test: 0, cancelled: 0, refunded: 0 };
  const kept: OrderOfRecord[] = [];
  const paidInWindow: OrdersInWindow['paidInWindow'] = new Map();
  const countByDay = new Map<IsoDate, number>();
  const revenueMilliByDay = new Map<string, Map<IsoDate, number>>();
  const totals = new Map<string, { count: number; revenue: number; refunded: number }>();
  let outside = 0;
  let partially = 0;
  for (const o of orders) {
    if (o.paid_at === undefined) continue;
    const day = utcDate(o.paid_at);
    if (day < window.from || day > window.to) {
      outside++;
      continue;
    }
    const why = exclusion(o);
    paidInWindow.set(o.order_id, why ? { order: o, excluded: why } : { order: o });
    if (why) {
      excluded[why]++;
      continue;
    }
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
      count: kept.length,
      revenue: main ? fromMilli(main[1].revenue) : 0,
      currency: main ? main[0] : null,
      by_currency: byCurrency,
      excluded,
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
