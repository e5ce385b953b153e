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
      // Cancelled before it was ever paid: read, never paid, cancelled.
      { order_id: '5', topic: 'orders/cancelled', occurred_at: at('2025-01-05T00:00:00Z'), financial_status: 'voided' },
    ];
    const orders = ordersFromRecords(records);
    expect(orders.map((o) => [o.order_id, o.currency, o.refunded_amount, o.fully_refunded, o.test, o.cancelled, o.paid_at !== undefined])).toEqual([
      ['2', 'USD', 30, true, false, false, true],
      ['1', 'USD', 5, false, false, false, true],
      ['3', 'USD', 0, false, true, false, true],
      ['4', 'USD', 0, false, false, true, true],
      ['5', '', 0, false, false, true, false],
    ]);
    expect(orders[1]?.paid_at).toBe(at('2025-01-02T00:00:00Z'));
    expect(orders[4]).toMatchObject({ created_at: at('2025-01-05T00:00:00Z'), financial_status: 'voided' });
  });

  it('places before the log read an order whose payment is older than it (only its refund or a paid cancellation is there)', () => {
    const from = at('2025-01-01T00:00:00Z');
    const orders = ordersFromRecords(
      [
        { order_id: '7', topic: 'refunds/create', occurred_at: at('2025-01-03T00:00:00Z'), refunded_amount: 5 },
        { order_id: '8', topic: 'orders/cancelled', occurred_at: at('2025-01-04T00:00:00Z'), financial_status: 'refunded' },
        { order_id: '9', topic: 'orders/cancelled', occurred_at: at('2025-01-04T00:00:00Z'), financial_status: 'voided' },
      ],
      from,
    );
    expect(orders.map((o) => [o.order_id, o.paid_at, o.created_at])).toEqual([
      ['7', undefined, from - 1],
      ['8', undefined, from - 1],
      ['9', undefined, at('2025-01-04T00:00:00Z')],
    ]);
  });

  it('takes the financial status its latest webhook stated', () => {
    const [o] = ordersFromRecords([
      { order_id: '1', topic: 'orders/cancelled', occurred_at: at('2025-01-05T00:00:00Z'), financial_status: 'Refunded' },
      { order_id: '1', topic: 'orders/paid', occurred_at: at('2025-01-02T00:00:00Z'), total: 5, currency: 'USD', financial_status: 'paid' },
    ]);
    expect(o).toMatchObject({ financial_status: 'refunded', fully_refunded: true, cancelled: true, paid_at: at('2025-01-02T00:00:00Z') });
  });
});
