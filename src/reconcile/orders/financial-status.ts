// Shopify's order financial statuses (`financial_status` of the REST Admin API and the orders webhooks, the
// `Financial Status` column of the orders export), as documented at
// https://shopify.dev/docs/api/admin-graphql/latest/enums/OrderDisplayFinancialStatus (the same values in upper
// case). Each one has an explicit outcome in the report (docs/RECONCILE.md "Orders of record").

/** No money was captured: pending payment, an authorization not (or never) captured, or one manually voided. */
export const UNPAID_STATUSES: ReadonlySet<string> = new Set(['pending', 'authorized', 'expired', 'voided']);

/** Money was captured: the order is counted at its total (unless test, cancelled or fully refunded). */
export const PAID_STATUSES: ReadonlySet<string> = new Set(['paid', 'partially_paid', 'partially_refunded', 'refunded']);

export type FinancialStatusKind = 'unpaid' | 'paid' | 'unknown' | 'unstated';

export function financialStatusKind(status: string | undefined): FinancialStatusKind {
  if (status === undefined || status === '') return 'unstated';
  if (UNPAID_STATUSES.has(status)) return 'unpaid';
  if (PAID_STATUSES.has(status)) return 'paid';
  return 'unknown';
}

/** The status as a source states it, in lower case; undefined when it states none. */
export function normalizeFinancialStatus(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim().toLowerCase();
  return text === '' ? undefined : text;
}
