import { describe, expect, it } from 'vitest';
import { hashedEvent } from '../../outbox/contract.js';
import { browserJoinKeys, normalizeCartToken, orderJoinKeys } from './join-keys.js';

describe('join keys', () => {
  it('keys a browser purchase by its event_id, tokens and cookies; other events only by tokens and cookies', () => {
    const purchase = hashedEvent({ user: { fbp: 'fb.1.1.2', ttp: 'tt1' } });
    expect(browserJoinKeys(purchase, { checkout_token: 'ck1', cart_token: 'gid://shopify/Cart/c1?key=abc' })).toEqual([
      'event:order_1001',
      'checkout:ck1',
      'cart:c1',
      'fbp:fb.1.1.2',
      'ttp:tt1',
    ]);
    expect(browserJoinKeys(hashedEvent({ event_name: 'page_view', event_id: 'mk_1', user: { fbp: 'fb.1.1.2' } }))).toEqual(['fbp:fb.1.1.2']);
    expect(browserJoinKeys(hashedEvent({ event_id_source: 'generated', user: {} }))).toEqual([]);
    expect(browserJoinKeys(hashedEvent({ user: {} }), { checkout_token: 'x'.repeat(257) })).toEqual(['event:order_1001']);
  });

  it('derives the same keys from the order webhook, most specific first', () => {
    const order = {
      id: 1001,
      checkout_token: 'ck1',
      cart_token: 'c1',
      note_attributes: [
        { name: '_fbp', value: 'fb.1.1.2' },
        { name: '_matchkey_event_id', value: 'order_1001' },
        { name: '_ttp', value: ' tt1 ' },
      ],
    };
    expect(orderJoinKeys(order)).toEqual(['checkout:ck1', 'cart:c1', 'fbp:fb.1.1.2', 'ttp:tt1']);
    expect(orderJoinKeys({ id: '77' })).toEqual([]);
    expect(orderJoinKeys({ id: '77', note_attributes: [{ name: '_matchkey_event_id', value: 'mk_5f0c1d' }] })).toEqual(['event:mk_5f0c1d']);
  });

  it('never joins an order by its guessable order_<id>: an anonymous purchase with that id cannot speak for it', () => {
    // What an attacker posts to /collect: the order's id, a consent denial, its own click ids.
    const forged = hashedEvent({ event_id: 'order_1001', user: { fbc: 'fb.1.1.attacker' } });
    const forgedKeys = browserJoinKeys(forged);
    const order = { id: 1001, checkout_token: 'ck1', note_attributes: [{ name: '_matchkey_event_id', value: 'order_1001' }] };
    expect(orderJoinKeys(order).filter((k) => forgedKeys.includes(k))).toEqual([]);
  });

  it('compares cart tokens without GID prefix or key suffix', () => {
    expect(normalizeCartToken('gid://shopify/Cart/Z2NwLXVz?key=secret')).toBe('Z2NwLXVz');
    expect(normalizeCartToken('Z2NwLXVz?key=secret')).toBe('Z2NwLXVz');
    expect(normalizeCartToken('abc123')).toBe('abc123');
  });
});
