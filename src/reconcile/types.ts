import type { PlatformName } from '../event/names.js';
import type { IsoDate } from './dates.js';

/** One order of the shop's order log, whatever it was read from, reduced to what reconciliation needs (no PII). */
export interface OrderOfRecord {
  /** Shopify's numeric order id when the source has it (matches the gateway's `order_<id>` event ids), else the name. */
  order_id: string;
  /** `#1001`. */
  name?: string;
  /** Unix ms when it was paid; undefined for an order never paid (pending, authorized, expired, voided). */
  paid_at?: number;
  /**
   * Unix ms when it was placed (`Created at` / `created_at`; the internal log: its first record). Places an order
   * that was never paid in or outside the window.
   */
  created_at?: number;
  /** Shopify's `financial_status` in lower case, as the source states it; undefined when it states none. */
  financial_status?: string;
  total: number;
  currency: string;
  test: boolean;
  cancelled: boolean;
  /** Sum of the refunds recorded against it. */
  refunded_amount: number;
  /** Refunded ≥ total, or the shop says `refunded`. */
  fully_refunded: boolean;
}

export interface ReconcileWindow {
  from: IsoDate;
  to: IsoDate;
  as_of: IsoDate;
}

/** One row of a platform's attributed-conversion export, already assigned to a platform. */
export interface AttributedRow {
  platform: PlatformName;
  /** The day the platform reported the conversions on. */
  date: IsoDate;
  /** Meta exports without a daily breakdown cover a range (`Reporting starts` … `Reporting ends`). */
  end_date?: IsoDate;
  conversions: number;
  value: number;
  /** The export's currency when it says one. */
  currency?: string;
  /** `file:line`, for messages. */
  source: string;
}

/** A platform's attribution window, in days; click is what decides when a day is mature. */
export interface AttributionWindow {
  click_days: number;
  view_days?: number;
  engagement_days?: number;
}

/** The outcome of the gateway's delivery of one purchase event to one destination (see OutboxStore.deliveryOutcomes). */
export type { DeliveryOutcome } from '../outbox/types.js';
