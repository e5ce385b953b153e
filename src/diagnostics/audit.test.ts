import { describe, expect, it } from 'vitest';
import { auditText, looksLikeShopifyOrder } from './audit.js';

const NOW = 1764326400 + 600;

describe('looksLikeShopifyOrder', () => {
  it('tells an order from a canonical event by shape', () => {
    expect(looksLikeShopifyOrder({ id: 1, line_items: [] })).toBe(true);
    expect(looksLikeShopifyOrder({ id: 1, total_price: '5.00' })).toBe(true);
    expect(looksLikeShopifyOrder({ event_name: 'purchase', id: 1, total_price: 5 })).toBe(false);
    expect(looksLikeShopifyOrder({ line_items: [] })).toBe(false);
    expect(looksLikeShopifyOrder([])).toBe(false);
  });
});

describe('auditText', () => {
  it('mixes canonical events and Shopify orders in one file', () => {
    const text = [
      JSON.stringify({ event_id: 'e1', event_name: 'lead', event_time: 1764326400, action_source: 'email', user: { email: 'a@example.com' } }),
      JSON.stringify({ id: 1001, total_price: '10.00', currency: 'USD', email: 'b@example.com', processed_at: '2025-11-28T10:40:00Z' }),
    ].join('\n');
    const report = auditText(text, 'mixed.jsonl', { identity: {}, nowSec: NOW });
    expect(report.events).toBe(2);
    expect(report.platforms.meta?.by_event).toHaveProperty('lead');
    expect(report.platforms.meta?.by_event).toHaveProperty('purchase');
  });

  it('names the file, the index and the field of an invalid event', () => {
    const text = JSON.stringify([{ event_name: 'purchase', event_time: 1764326400 }, { event_name: 'purchase', event_time: 1764326400, user: { lastName: 'x' } }]);
    expect(() => auditText(text, 'ev.json', { identity: {}, nowSec: NOW })).toThrow('ev.json: 1.user: unknown field "lastName" (did you mean "last_name"?)');
  });

  it('measures a Shopify test order only against destinations in test mode', () => {
    const order = JSON.stringify({ id: 7, test: true, total_price: '1.00', currency: 'USD', email: 'c@example.com', processed_at: '2025-11-28T10:40:00Z' });
    const report = auditText(order, 'test-order.json', { identity: {}, nowSec: NOW });
    expect(report.platforms.meta).toMatchObject({ events: 1, sendable: 0 });
  });
});
