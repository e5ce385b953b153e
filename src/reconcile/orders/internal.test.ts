import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../outbox/types.js';
import { ordersFromRecords } from './internal.js';

const at = (iso: string) => Date.parse(iso);

describe('ordersFromRecords', () => {
  it('pays, sums refunds and cancels, whatever order the records come in', () => {
    const records: OrderRecord[] = [
      { order_id: '2', topic: 'refunds/create', occurred_at: at('2025-01-06T00:00:00Z'), refunded_amount: 10 },
      { order_id: '1', topic: 'orders/paid', name: '#1', occurred_at: at('2025-01-02T00:00:00Z'), total: 50, currency: 'usd' },
      { order_id: '2', topic: 'orders/paid', name: '#2', occurred_at: at('2025-01-03T00:00:00Z'), total: 30, currency: 'USD' },
      { order_id: '2', topic: 'refunds/create', occurred_at: at('2025-01-07T00:00:00Z'), refunded_amount: 20 },
      { order_id: '3', topic: 'orders/paid', occurred_at: at('2025-01-04T00:00:00Z'), total: 40, currency: 'USD', test: true },
      { order_id: '4', topic: 'orders/paid', occurred_at: at('2025-01-04T00:00:00Z'), total: 40, currency: 'USD' },
      { order_id: '4', topic: 'orders/cancelled', occurred_at: at('2025-01-05T00:00:00Z') },
      { order_id: '1', topic: 'refunds/create', occurred_at: at('2025-01-08T00:00:00Z'), refunded_amount: 5 },
      // The same order delivered again under another subscription is the same order.
      { order_id: '1', topic: 'orders/paid', name: '#1', occurred_at: at('2025-01-02T00:00:01Z'), total: 50, currency: 'USD' },
      // Cancelled before it was ever paid: never an order of record.
      { order_id: '5', topic: 'orders/cancelled', occurred_at: at('2025-01-05T00:00:00Z') },
    ];
    const orders = ordersFromRecords(records);
    expect(orders.map((o) => [o.order_id, o.currency, o.refunded_amount, o.fully_refunded, o.test, o.cancelled])).toEqual([
      ['1', 'USD', 5, false, false, false],
      ['2', 'USD', 30, true, false, false],
      ['3', 'USD', 0, false, true, false],
      ['4', 'USD', 0, false, false, true],
    ]);
    expect(orders[0]?.paid_at).toBe(at('2025-01-02T00:00:00Z'));
  });
});
