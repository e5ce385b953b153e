import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ShopifyRefund } from './order.js';
import { refundToEvent } from './refund-to-event.js';

const fixture = (): ShopifyRefund & Record<string, any> => JSON.parse(readFileSync(new URL('../../../test/fixtures/shopify/refunds-create.json', import.meta.url), 'utf8'));

describe('refundToEvent', () => {
  it('turns a refund into a refund event of the money actually refunded, under the order id', () => {
    const refund = fixture();
    const event = refundToEvent(refund)!;
    expect(event).toMatchObject({ event_id: `refund_${refund.id}`, event_name: 'refund', action_source: 'system_generated', commerce: { order_id: String(refund.order_id), value: 30.55, currency: 'USD' } });
    expect(event.commerce).not.toHaveProperty('items'); // the fixture's lines carry no line_item: ids unknown
  });

  it('names refunded items by the purchase id rule when the webhook carries the line item', () => {
    const refund = fixture();
    refund.refund_line_items = [{ quantity: 1, line_item: { sku: 'SKU-1', variant_id: 7, title: 'Mug', price: '29.95' } }, { quantity: 1, line_item: { variant_id: 8 } }];
    expect(refundToEvent(refund)!.commerce?.items).toEqual([
      { id: 'SKU-1', name: 'Mug', quantity: 1, price: 29.95 },
      { id: '8', quantity: 1 },
    ]);
  });

  it('makes no event for a refund that moved no money (GA4 would refund the whole order)', () => {
    const refund = fixture();
    refund.transactions = [{ kind: 'refund', status: 'pending', amount: '10.00', currency: 'USD' }];
    expect(refundToEvent(refund)).toBeNull();
    expect(refundToEvent({ ...fixture(), transactions: [] })).toBeNull();
  });
});
