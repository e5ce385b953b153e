import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cancelledOrderRecord, paidOrderRecord, refundRecord } from './order-record.js';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../../../test/fixtures/shopify/${name}`, import.meta.url), 'utf8'));

describe('order records', () => {
  it('reduces a paid order to ids, money, time and flags without PII', () => {
    const record = paidOrderRecord(fixture('orders-paid.json'));
    expect(record).toEqual({
      order_id: '5830042910001',
      topic: 'orders/paid',
      name: '#1001',
      occurred_at: Date.parse('2026-03-02T10:15:02-05:00'),
      total: 598.94,
      currency: 'USD',
      test: false,
      financial_status: 'paid',
    });
    expect(JSON.stringify(record)).not.toMatch(/Zelphine|Quorvath|Brindlewick|459/);
  });

  it('sums only successful refund transactions', () => {
    expect(refundRecord(fixture('refunds-create.json'))).toEqual({
      order_id: '5830042910001',
      topic: 'refunds/create',
      occurred_at: Date.parse('2026-03-05T09:30:05-05:00'),
      refunded_amount: 30.55,
      currency: 'USD',
    });
  });

  it('dates a cancellation by cancelled_at', () => {
    const record = cancelledOrderRecord(fixture('orders-cancelled.json'));
    expect(record).toMatchObject({ order_id: '5830042910002', topic: 'orders/cancelled', occurred_at: Date.parse('2026-03-03T08:00:00+00:00'), total: 42.5 });
  });

  it('falls back to the arrival time when the payload has no usable time', () => {
    expect(refundRecord({ order_id: 5, processed_at: 'yesterday' }, 1234).occurred_at).toBe(1234);
  });
});
