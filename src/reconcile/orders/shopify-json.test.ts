import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { parseOrdersJsonText, readShopifyOrdersJson } from './shopify-json.js';

const paid = {
  id: 820982911946,
  name: '#1001',
  processed_at: '2025-01-02T10:00:00-05:00',
  total_price: '100.00',
  currency: 'USD',
  test: false,
  cancelled_at: null,
  financial_status: 'partially_refunded',
  refunds: [
    {
      transactions: [
        { kind: 'refund', status: 'success', amount: '15.00' },
        { kind: 'refund', status: 'failure', amount: '99.00' },
      ],
    },
    { transactions: [{ kind: 'refund', status: 'success', amount: '5.50' }] },
  ],
};

describe('readShopifyOrdersJson', () => {
  it('reads an order object: paid time, total, refunds that succeeded', () => {
    expect(readShopifyOrdersJson(JSON.stringify(paid), 'o.json')).toEqual([
      {
        order_id: '820982911946',
        name: '#1001',
        paid_at: Date.parse('2025-01-02T15:00:00Z'),
        created_at: Date.parse('2025-01-02T15:00:00Z'),
        financial_status: 'partially_refunded',
        total: 100,
        currency: 'USD',
        test: false,
        cancelled: false,
        refunded_amount: 20.5,
        fully_refunded: false,
      },
    ]);
  });

  it('reads JSON Lines, arrays and {"orders": [...]} alike', () => {
    const others = [
      { id: 2, processed_at: '2025-01-03T00:00:00Z', total_price: '10.00', currency: 'EUR', test: true },
      { id: 3, processed_at: '2025-01-03T00:00:00Z', total_price: '10.00', currency: 'EUR', cancelled_at: '2025-01-04T00:00:00Z' },
      { id: 4, processed_at: '2025-01-03T00:00:00Z', total_price: '10.00', currency: 'EUR', financial_status: 'refunded' },
      { id: 5, processed_at: '2025-01-03T00:00:00Z', total_price: '10.00', currency: 'EUR', financial_status: 'pending' },
    ];
    const jsonl = others.map((o) => JSON.stringify(o)).join('\n');
    const fromLines = readShopifyOrdersJson(jsonl, 'o.jsonl');
    expect(readShopifyOrdersJson(JSON.stringify(others), 'o.json')).toEqual(fromLines);
    expect(readShopifyOrdersJson(JSON.stringify({ orders: others }), 'o.json')).toEqual(fromLines);
    expect(fromLines.map((o) => [o.order_id, o.test, o.cancelled, o.fully_refunded, o.paid_at !== undefined])).toEqual([
      ['2', true, false, false, true],
      ['3', false, true, false, true],
      ['4', false, false, true, true],
      ['5', false, false, false, false],
    ]);
    // Never paid: placed by processed_at when there is no created_at.
    expect(fromLines[3]).toMatchObject({ financial_status: 'pending', created_at: Date.parse('2025-01-03T00:00:00Z') });
  });

  it('keeps every digit of an id past 2^53', () => {
    const text = '{"id": 12345678901234567890, "processed_at": "2025-01-02T00:00:00Z", "total_price": "1.00", "currency": "USD"}';
    expect(readShopifyOrdersJson(text, 'o.json')[0]?.order_id).toBe('12345678901234567890');
  });

  it('names the line of a broken JSON line', () => {
    try {
      parseOrdersJsonText('{"id":1}\n{"id":\n', 'o.jsonl');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).path).toBe('o.jsonl:2');
    }
  });
});
