import { describe, expect, it } from 'vitest';
import type { EventSource } from '../types.js';
import { planDeliveries, takesOver, type DeliveryCandidate } from './plan-deliveries.js';

let item = 0;
function c(source: EventSource, status: 'pending' | 'skipped', skip_reason: string | null = null, key = 'meta\u0000order_1'): DeliveryCandidate {
  return { key, item: item++, source, status, skip_reason };
}

describe('planDeliveries', () => {
  it('keeps the first delivery of a key and absorbs the later ones', () => {
    const first = c('api', 'pending');
    const [plan] = planDeliveries([first, c('api', 'pending'), c('browser', 'pending')]);
    expect(plan).toEqual({ insert: first, insertCredits: [first.item], takeOver: first, takeOverCredits: [first.item] });
  });

  it('lets the server event take over a browser delivery deferred to it, crediting both', () => {
    const browser = c('browser', 'skipped', 'order_webhook_sends_purchase');
    const late = c('browser', 'pending');
    const server = c('shopify', 'pending');
    const [plan] = planDeliveries([browser, late, server]);
    expect(plan!.insert).toBe(server);
    expect(plan!.insertCredits).toEqual([browser.item, server.item]);
    expect(plan!.takeOver).toBe(server);
    expect(plan!.takeOverCredits).toEqual([server.item]);
  });

  it('lets the server event take over a browser delivery that was not deferred too (the server copy always wins)', () => {
    const browser = c('browser', 'pending');
    const server = c('api', 'skipped', 'test');
    const [plan] = planDeliveries([browser, server]);
    expect(plan).toEqual({ insert: server, insertCredits: [browser.item, server.item], takeOver: server, takeOverCredits: [server.item] });
  });

  it('plans no take-over when only browser events ask, and one plan per key in order of appearance', () => {
    const a = c('browser', 'skipped', 'browser_events_off', 'meta\u0000e1');
    const b = c('browser', 'pending', null, 'tiktok\u0000e1');
    const plans = planDeliveries([a, b, c('browser', 'pending', null, 'meta\u0000e1')]);
    expect(plans.map((p) => [p.insert, p.takeOver])).toEqual([
      [a, undefined],
      [b, undefined],
    ]);
  });

  it('takes over any browser row, and only for a non-browser event', () => {
    expect(takesOver({ source: 'browser' }, { source: 'api' })).toBe(true);
    expect(takesOver({ source: 'browser' }, { source: 'shopify' })).toBe(true);
    expect(takesOver({ source: 'browser' }, { source: 'browser' })).toBe(false);
    expect(takesOver({ source: 'api' }, { source: 'shopify' })).toBe(false);
  });
});
