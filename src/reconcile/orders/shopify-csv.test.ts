import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { readShopifyOrdersCsv } from './shopify-csv.js';

const FIXTURE = new URL('../../../test/fixtures/reconcile/shopify-orders.csv', import.meta.url);

describe('readShopifyOrdersCsv', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const orders = readShopifyOrdersCsv(text, 'shopify-orders.csv');
  const byName = new Map(orders.map((o) => [o.name, o]));

  it('makes one order of the several line-item rows, from its first row', () => {
    // 21 data rows of which 3 are #1001 and 2 are #1010: 13 orders.
    expect(orders).toHaveLength(13);
    expect(byName.get('#1001')).toEqual({
      order_id: '5001',
      name: '#1001',
      paid_at: Date.parse('2025-01-02T15:00:00Z'),
      created_at: Date.parse('2025-01-02T14:58:00Z'),
      financial_status: 'paid',
      total: 100,
      currency: 'USD',
      test: false,
      cancelled: false,
      refunded_amount: 0,
      fully_refunded: false,
    });
    expect(byName.get('#1010')?.total).toBe(30.5);
  });

  it('reads refunds, the test gateway, cancellations and unpaid orders', () => {
    expect(byName.get('#1002')).toMatchObject({ refunded_amount: 20, fully_refunded: false });
    expect(byName.get('#1003')).toMatchObject({ refunded_amount: 80, fully_refunded: true });
    expect(byName.get('#1004')?.test).toBe(true);
    expect(byName.get('#1005')?.cancelled).toBe(true);
    expect(byName.get('#1012')).toMatchObject({ financial_status: 'pending', created_at: Date.parse('2025-01-12T11:00:00Z') });
    expect(byName.get('#1012')?.paid_at).toBeUndefined();
  });

  it('finds columns in any order and ignores unknown ones', () => {
    const shuffled = 'Weird,Total,Currency,Paid at,Name\nx,12.00,eur,2025-01-01 00:00:00 +0000,#9\n';
    expect(readShopifyOrdersCsv(shuffled, 'f.csv')).toEqual([
      expect.objectContaining({ order_id: '#9', name: '#9', total: 12, currency: 'EUR', paid_at: Date.parse('2025-01-01T00:00:00Z') }),
    ]);
  });

  it('tolerates a BOM', () => {
    expect(readShopifyOrdersCsv(`\uFEFF${text}`, 'f.csv')).toEqual(orders);
  });

  it('refuses a file that is not an orders export, and a bad cell by file, line and column', () => {
    expect(() => readShopifyOrdersCsv('a,b\n1,2\n', 'f.csv')).toThrow(/no "Name" column/);
    const bad = 'Name,Total,Currency,Paid at\n#1,ten,USD,2025-01-01 00:00:00 +0000\n';
    try {
      readShopifyOrdersCsv(bad, 'f.csv');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).path).toBe('f.csv:2.Total');
    }
  });
});
