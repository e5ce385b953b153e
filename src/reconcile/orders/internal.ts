import type { OrderRecord } from '../../outbox/types.js';
import type { OrderOfRecord } from '../types.js';

// The gateway's own order log: the orders/paid, refunds/create and orders/cancelled webhooks it stored. An order
// is of record once paid; its refunds are summed; a cancellation takes it out. Records come in any order (a
// refund webhook may be stored before a delayed orders/paid redelivery).
export function ordersFromRecords(records: readonly OrderRecord[]): OrderOfRecord[] {
  const paid = new Map<string, OrderRecord>();
  const refunded = new Map<string, number>();
  const cancelled = new Set<string>();
  const refundedStatus = new Set<string>();
  for (const r of records) {
    if (r.topic === 'orders/paid') {
      // A second delivery of the same order (another subscription) is the same order.
      if (!paid.has(r.order_id)) paid.set(r.order_id, r);
    } else if (r.topic === 'refunds/create') {
      refunded.set(r.order_id, (refunded.get(r.order_id) ?? 0) + Math.round((r.refunded_amount ?? 0) * 1000));
    } else if (r.topic === 'orders/cancelled') {
      cancelled.add(r.order_id);
    }
    if (r.financial_status === 'refunded') refundedStatus.add(r.order_id);
  }
  return [...paid.values()].map((r) => {
    const total = r.total ?? 0;
    const refundedAmount = (refunded.get(r.order_id) ?? 0) / 1000;
    return {
      order_id: r.order_id,
      ...(r.name ? { name: r.name } : {}),
      paid_at: r.occurred_at,
      total,
      currency: (r.currency ?? '').toUpperCase(),
      test: r.test === true,
      cancelled: cancelled.has(r.order_id),
      refunded_amount: refundedAmount,
      fully_refunded: refundedStatus.has(r.order_id) || (refundedAmount > 0 && refundedAmount >= total),
    };
  });
}
