import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readShopifyOrdersCsv } from './shopify-csv.js';
import { ordersInWindow } from './summary.js';

const FIXTURE = new URL('../../../test/fixtures/reconcile/shopify-orders.csv', import.meta.url);

describe('ordersInWindow over the export fixture, January 2025', () => {
  const orders = readShopifyOrdersCsv(readFileSync(FIXTURE, 'utf8'), 'shopify-orders.csv');
  const r = ordersInWindow(orders, { from: '2025-01-01', to: '2025-01-31', as_of: '2025-02-05' });

  it('keeps the paid orders of the window and counts what it leaves out (answers by hand)', () => {
    // Kept USD: #1001 100 (Jan 2), #1002 50 (Jan 5, 20 refunded), #1006 30 (paid Dec 31 23:30 -0500 = Jan 1 UTC),
    //   #1011 200 (Jan 30), #1013 25 (Jan 26, 5 refunded) → 5 orders, 405.00, refunded 25.00.
    // Kept EUR: #1009 70 (Jan 15), #1010 30.50 (Jan 28) → 2 orders, 100.50.
    // Left out: #1004 test (bogus), #1005 cancelled, #1003 fully refunded; #1007 (Dec 31 23:00 UTC) and #1008
    //   (Feb 1) outside; #1012 pending, placed Jan 12 (unpaid). 13 read = 7 + 4 + 2.
    expect(r.summary).toEqual({
      read: 13,
      count: 7,
      revenue: 405,
      currency: 'USD',
      by_currency: {
        EUR: { count: 2, revenue: 100.5, refunded_amount: 0 },
        USD: { count: 5, revenue: 405, refunded_amount: 25 },
      },
      excluded: { test: 1, cancelled: 1, unknown_status: 0, unpaid: 1, refunded: 1 },
      unknown_statuses: {},
      refunded_amount: 25,
      partially_refunded: 2,
      outside_window: 2,
    });
    expect(r.countByDay.get('2025-01-01')).toBe(1);
    expect(r.revenueMilliByDay.get('EUR')?.get('2025-01-28')).toBe(30_500);
    expect([...r.paidInWindow.keys()].sort()).toEqual(['5001', '5002', '5003', '5004', '5005', '5006', '5009', '5010', '5011', '5013']);
  });

  it('counts an order once, in the first exclusion that applies: test, cancelled, unknown status, unpaid, refunded', () => {
    const base = { order_id: '1', paid_at: Date.parse('2025-01-02T00:00:00Z'), total: 10, currency: 'USD', refunded_amount: 10 };
    const s = ordersInWindow(
      [
        { ...base, order_id: '1', test: true, cancelled: true, fully_refunded: true },
        { ...base, order_id: '2', test: false, cancelled: true, fully_refunded: true },
        { ...base, order_id: '3', test: false, cancelled: false, financial_status: 'chargeback', fully_refunded: true },
        { ...base, order_id: '4', test: false, cancelled: false, paid_at: undefined, financial_status: 'voided', fully_refunded: true },
      ],
      { from: '2025-01-01', to: '2025-01-31', as_of: '2025-02-05' },
    ).summary;
    expect(s.excluded).toEqual({ test: 1, cancelled: 1, unknown_status: 1, unpaid: 1, refunded: 0 });
    expect(s.unknown_statuses).toEqual({ chargeback: 1 });
    expect(s.read).toBe(4);
    expect(s.count).toBe(0);
    expect(s.currency).toBeNull();
  });
});
