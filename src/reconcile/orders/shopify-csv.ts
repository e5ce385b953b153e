import { InputError } from '../../errors.js';
import { findColumn, readCsv } from '../csv.js';
import { parseTimestamp } from '../dates.js';
import { parseAmount } from '../numbers.js';
import type { OrderOfRecord } from '../types.js';
import { financialStatusKind, normalizeFinancialStatus } from './financial-status.js';

// Shopify's orders export (Admin → Orders → Export): one row per line item; the order's own fields (totals,
// status, dates) are filled on the order's first row only and left empty on the following ones, which repeat
// `Name`. Columns are found by name, in any order; unknown columns are ignored.

const COLUMNS = {
  name: ['Name'],
  id: ['Id'],
  financial_status: ['Financial Status'],
  paid_at: ['Paid at'],
  created_at: ['Created at'],
  currency: ['Currency'],
  total: ['Total'],
  cancelled_at: ['Cancelled at'],
  payment_method: ['Payment Method'],
  refunded_amount: ['Refunded Amount'],
} as const;

export function readShopifyOrdersCsv(text: string, source: string): OrderOfRecord[] {
  const table = readCsv(text, source);
  const col = Object.fromEntries(
    Object.entries(COLUMNS).map(([key, names]) => [key, findColumn(table.header, names)]),
  ) as Record<keyof typeof COLUMNS, number>;
  for (const required of ['name', 'total', 'currency', 'paid_at'] as const) {
    if (col[required] < 0) {
      throw new InputError(source, `not a Shopify orders export: no "${COLUMNS[required][0]}" column`, 'invalid_csv');
    }
  }

  const orders = new Map<string, OrderOfRecord>();
  for (const { line, cells } of table.rows) {
    const cell = (key: keyof typeof COLUMNS): string => (col[key] >= 0 ? (cells[col[key]] ?? '').trim() : '');
    const name = cell('name');
    if (name === '') continue;
    // The order's fields sit on its first row; later rows of the same order are its other line items.
    if (orders.has(name)) continue;
    const at = (key: keyof typeof COLUMNS) => `${source}:${line}.${COLUMNS[key][0]}`;
    const status = normalizeFinancialStatus(cell('financial_status'));
    const total = parseAmount(cell('total'), at('total'));
    const refunded = parseAmount(cell('refunded_amount'), at('refunded_amount'));
    const paidAt = financialStatusKind(status) === 'unpaid' ? undefined : parseTimestamp(cell('paid_at'), at('paid_at'));
    const createdAt = parseTimestamp(cell('created_at'), at('created_at'));
    const currency = cell('currency').toUpperCase();
    if (paidAt !== undefined && !/^[A-Z]{3}$/.test(currency)) {
      throw new InputError(at('currency'), `expected a 3-letter currency code, got "${cell('currency')}"`, 'invalid_currency');
    }
    orders.set(name, {
      order_id: cell('id') || name,
      name,
      ...(paidAt !== undefined ? { paid_at: paidAt } : {}),
      ...(createdAt !== undefined ? { created_at: createdAt } : {}),
      ...(status !== undefined ? { financial_status: status } : {}),
      total,
      currency,
      // Shopify's "Bogus Gateway" is its test payment provider: such orders never moved money.
      test: /\bbogus\b/i.test(cell('payment_method')),
      cancelled: cell('cancelled_at') !== '',
      refunded_amount: refunded,
      fully_refunded: status === 'refunded' || (refunded > 0 && refunded >= total),
    });
  }
  return [...orders.values()];
}
