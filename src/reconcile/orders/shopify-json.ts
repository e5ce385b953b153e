import { InputError } from '../../errors.js';
import { parseTimestamp } from '../dates.js';
import { parseAmount } from '../numbers.js';
import type { OrderOfRecord } from '../types.js';
import { financialStatusKind, normalizeFinancialStatus } from './financial-status.js';

// Shopify order objects as the Admin REST API (and the orders/* webhooks) write them, one per line (JSONL) or as a
// JSON array, or `{"orders": [...]}` as GET /orders.json answers.

interface ShopifyOrderJson {
  id?: number | string;
  name?: string;
  processed_at?: string | null;
  created_at?: string | null;
  total_price?: string | number;
  currency?: string;
  test?: boolean;
  cancelled_at?: string | null;
  financial_status?: string | null;
  refunds?: { transactions?: { kind?: string; status?: string; amount?: string | number }[] }[];
}

/** A JSON array, `{"orders": [...]}`, one order object, or JSON Lines (one order per line). */
export function parseOrdersJsonText(text: string, source: string): unknown[] {
  // Ids past 2^53 would lose digits as JSON numbers; read them as the strings they are.
  const body = text.replace(/^\uFEFF/, '').replace(/"id"\s*:\s*(\d{16,})/g, '"id":"$1"');
  if (body.trim() === '') return [];
  let whole: unknown;
  let wholeError: Error | undefined;
  try {
    whole = JSON.parse(body);
  } catch (err) {
    wholeError = err as Error;
  }
  if (!wholeError) {
    if (Array.isArray(whole)) return whole;
    const orders = (whole as { orders?: unknown } | null)?.orders;
    return Array.isArray(orders) ? orders : [whole];
  }
  if (body.trim().startsWith('[')) throw new InputError(source, `not valid JSON (${wholeError.message})`, 'invalid_json');
  const out: unknown[] = [];
  body.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line));
    } catch (err) {
      throw new InputError(`${source}:${i + 1}`, `not valid JSON (${(err as Error).message})`, 'invalid_json');
    }
  });
  return out;
}

export function readShopifyOrdersJson(text: string, source: string): OrderOfRecord[] {
  const orders = new Map<string, OrderOfRecord>();
  parseOrdersJsonText(text, source).forEach((raw, i) => {
    const at = `${source}:${i + 1}`;
    if (!raw || typeof raw !== 'object') throw new InputError(at, 'expected a Shopify order object', 'invalid_order');
    const o = raw as ShopifyOrderJson;
    const id = o.id !== undefined && o.id !== null ? String(o.id) : o.name;
    if (!id) throw new InputError(`${at}.id`, 'expected the order id or name', 'invalid_order');
    const status = normalizeFinancialStatus(o.financial_status);
    const total = parseAmount(o.total_price, `${at}.total_price`);
    let refunded = 0;
    (o.refunds ?? []).forEach((refund, r) =>
      (refund.transactions ?? []).forEach((t, k) => {
        // Only money that actually went back: a failed or pending refund transaction refunds nothing.
        if ((t.kind ?? 'refund') !== 'refund') return;
        if (t.status !== undefined && t.status !== 'success') return;
        refunded += parseAmount(t.amount, `${at}.refunds.${r}.transactions.${k}.amount`);
      }),
    );
    refunded = Math.round(refunded * 1000) / 1000;
    const paidAt = financialStatusKind(status) === 'unpaid' ? undefined : parseTimestamp(o.processed_at, `${at}.processed_at`);
    // Placed: created_at, else processed_at (the REST API sets it on every order, paid or not).
    const createdAt = parseTimestamp(o.created_at, `${at}.created_at`) ?? parseTimestamp(o.processed_at, `${at}.processed_at`);
    const currency = String(o.currency ?? '').toUpperCase();
    if (paidAt !== undefined && !/^[A-Z]{3}$/.test(currency)) {
      throw new InputError(`${at}.currency`, 'expected a 3-letter currency code', 'invalid_currency');
    }
    if (orders.has(id)) return;
    orders.set(id, {
      order_id: id,
      ...(o.name ? { name: o.name } : {}),
      ...(paidAt !== undefined ? { paid_at: paidAt } : {}),
      ...(createdAt !== undefined ? { created_at: createdAt } : {}),
      ...(status !== undefined ? { financial_status: status } : {}),
      total,
      currency,
      test: o.test === true,
      cancelled: Boolean(o.cancelled_at),
      refunded_amount: refunded,
      fully_refunded: status === 'refunded' || (refunded > 0 && refunded >= total),
    });
  });
  return [...orders.values()];
}
