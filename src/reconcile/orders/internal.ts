import type { OrderRecord } from '../../outbox/types.js';
import type { OrderOfRecord } from '../types.js';
import { financialStatusKind, normalizeFinancialStatus } from './financial-status.js';

// The gateway's own order log: the orders/paid, refunds/create and orders/cancelled webhooks it stored. Every order
// with a record is read: it is paid by its orders/paid record; its refunds are summed; a cancellation marks it
// cancelled; its financial status is the one its latest webhook stated. Records come in any order (a refund webhook
// may be stored before a delayed orders/paid redelivery).
//
// The log is read from `readFrom` (the window's start). An order read with no orders/paid record but a sign of
// payment (a refund, or a paid status on its cancellation) was paid before that: it is placed there, outside the
// window. One with no sign of payment (cancelled while pending or voided) is placed at its first record.
export function ordersFromRecords(records: readonly OrderRecord[], readFrom?: number): OrderOfRecord[] {
  const first = new Map<string, OrderRecord>();
  const paid = new Map<string, OrderRecord>();
  const refunded = new Map<string, number>();
  const cancelled = new Set<string>();
  const refundedStatus = new Set<string>();
  const status = new Map<string, { at: number; status: string }>();
  for (const r of records) {
    const earliest = first.get(r.order_id);
    if (!earliest || r.occurred_at < earliest.occurred_at) first.set(r.order_id, r);
    if (r.topic === 'orders/paid') {
      // A second delivery of the same order (another subscription) is the same order.
      if (!paid.has(r.order_id)) paid.set(r.order_id, r);
    } else if (r.topic === 'refunds/create') {
      refunded.set(r.order_id, (refunded.get(r.order_id) ?? 0) + Math.round((r.refunded_amount ?? 0) * 1000));
    } else if (r.topic === 'orders/cancelled') {
      cancelled.add(r.order_id);
    }
    const stated = normalizeFinancialStatus(r.financial_status);
    if (stated !== undefined) {
      const latest = status.get(r.order_id);
      if (!latest || r.occurred_at >= latest.at) status.set(r.order_id, { at: r.occurred_at, status: stated });
      if (stated === 'refunded') refundedStatus.add(r.order_id);
    }
  }
  return [...first.entries()].map(([orderId, earliest]) => {
    const paidRecord = paid.get(orderId);
    const r = paidRecord ?? earliest;
    const total = r.total ?? 0;
    const refundedAmount = (refunded.get(orderId) ?? 0) / 1000;
    const financialStatus = status.get(orderId)?.status;
    const paidEarlier = !paidRecord && readFrom !== undefined && (refunded.has(orderId) || financialStatusKind(financialStatus) === 'paid');
    return {
      order_id: orderId,
      ...(r.name ? { name: r.name } : {}),
      ...(paidRecord ? { paid_at: paidRecord.occurred_at } : {}),
      created_at: paidEarlier ? Math.min(readFrom - 1, earliest.occurred_at) : earliest.occurred_at,
      ...(financialStatus !== undefined ? { financial_status: financialStatus } : {}),
      total,
      currency: (r.currency ?? '').toUpperCase(),
      test: r.test === true,
      cancelled: cancelled.has(orderId),
      refunded_amount: refundedAmount,
      fully_refunded: refundedStatus.has(orderId) || (refundedAmount > 0 && refundedAmount >= total),
    };
  });
}
