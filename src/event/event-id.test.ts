import { describe, expect, it } from 'vitest';
import { orderEventId, resolveEventId } from './event-id.js';

describe('event ids', () => {
  it('prefixes the order id so the id is never numeric (TikTok)', () => {
    expect(orderEventId(1001)).toBe('order_1001');
    expect(orderEventId('1001')).toBe('order_1001');
  });
  it('keeps a given id', () => {
    expect(resolveEventId({ event_id: 'abc', event_name: 'purchase', order_id: '1' })).toEqual({ event_id: 'abc', event_id_source: 'given' });
  });
  it('derives order_<id> only for purchases', () => {
    expect(resolveEventId({ event_name: 'purchase', order_id: '1' })).toEqual({ event_id: 'order_1', event_id_source: 'order' });
    expect(resolveEventId({ event_name: 'add_to_cart', order_id: '1' }).event_id_source).toBe('generated');
  });
  it('generates distinct mk_ ids otherwise', () => {
    const a = resolveEventId({ event_name: 'page_view' });
    const b = resolveEventId({ event_name: 'page_view' });
    expect(a.event_id_source).toBe('generated');
    expect(a.event_id).toMatch(/^mk_[0-9a-f-]{36}$/);
    expect(a.event_id).not.toBe(b.event_id);
  });
});
