import type { OrderRecord } from '../../outbox/types.js';
import { toUnixSeconds } from '../../event/schema.js';
import { money, str, type ShopifyOrder, type ShopifyRefund } from './order.js';

// Order webhooks reduced to what reconciliation needs: ids, money, times, test flag. No PII (no email, phone,
// name or address), so these rows can be stored as they are.

export function paidOrderRecord(order: ShopifyOrder, receivedAt = Date.now()): OrderRecord {
  return orderRecord(order, 'orders/paid', str(order.processed_at) ?? str(order.created_at), receivedAt);
}

export function cancelledOrderRecord(order: ShopifyOrder, receivedAt = Date.now()): OrderRecord {
  return orderRecord(order, 'orders/cancelled', str(order.cancelled_at) ?? str(order.processed_at), receivedAt);
}

export function refundRecord(refund: ShopifyRefund, receivedAt = Date.now()): OrderRecord {
  const record: OrderRecord = {
    order_id: String(refund.order_id),
    topic: 'refunds/create',
    occurred_at: toMs(str(refund.processed_at) ?? str(refund.created_at), receivedAt),
  };
  // A refund's money is in its transactions; failed or pending transactions refunded nothing (yet).
  let refunded = 0;
  let currency: string | undefined;
  let any = false;
  for (const t of Array.isArray(refund.transactions) ? refund.transactions : []) {
    if (str(t?.kind) !== 'refund') continue;
    const status = str(t.status);
    if (status !== undefined && status !== 'success') continue;
    const amount = money(t.amount);
    if (amount === undefined) continue;
    refunded += amount;
    any = true;
    currency ??= str(t.currency);
  }
  if (any) record.refunded_amount = Math.round(refunded * 100) / 100;
  if (currency) record.currency = currency.toUpperCase();
  return record;
}

function orderRecord(order: ShopifyOrder, topic: OrderRecord['topic'], when: string | undefined, receivedAt: number): OrderRecord {
  const record: OrderRecord = { order_id: String(order.id), topic, occurred_at: toMs(when, receivedAt) };
  // A display name (#1001): a control character in it is dropped rather than refused, so that a signed webhook is
  // never answered with an error for its content (Shopify deletes subscriptions that keep failing).
  const name = str(order.name)?.replace(/[\u0000-\u001f\u007f]/g, '');
  if (name) record.name = name;
  const total = money(order.total_price);
  if (total !== undefined) record.total = total;
  const currency = str(order.currency);
  if (currency) record.currency = currency.toUpperCase();
  if (typeof order.test === 'boolean') record.test = order.test;
  const financial = str(order.financial_status);
  if (financial) record.financial_status = financial;
  return record;
}

function toMs(iso: string | undefined, fallback: number): number {
  const seconds = iso ? toUnixSeconds(iso) : undefined;
  if (seconds === undefined) return fallback;
  // Keep sub-second precision when the timestamp has it.
  const ms = Date.parse(iso!);
  return Number.isNaN(ms) ? seconds * 1000 : ms;
}
