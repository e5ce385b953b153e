import { describe, expect, it } from 'vitest';
import { parseCanonicalEvent } from '../../event/parse.js';
import { enrichFromBrowser } from './enrich.js';

const order = (user: Record<string, unknown> = {}) =>
  parseCanonicalEvent({ event_name: 'purchase', event_time: 1_764_326_400, commerce: { order_id: '1001' }, user: { email: 'x@example.com', client_ip_address: '198.51.100.23', ...user } });
const keys = ['event:order_1001', 'checkout:ck', 'fbp:fb.1.1.2'];

describe('enrichFromBrowser', () => {
  it("fills only what the order lacks; the order's own IP and cookies stay", () => {
    const found = [
      { join_key: 'event:order_1001', updated_at: 1, context: { fbp: 'fb.1.9.9', fbc: 'fb.1.5.AbC', ttp: 'tt', epik: 'ep', client_user_agent: 'Browser UA', client_ip_address: '203.0.113.50' } },
    ];
    const { event, filled, matched_keys } = enrichFromBrowser(order({ fbp: 'fb.1.1.2' }), found, keys);
    expect(event.user).toMatchObject({ fbp: 'fb.1.1.2', fbc: 'fb.1.5.AbC', ttp: 'tt', epik: 'ep', client_user_agent: 'Browser UA', client_ip_address: '198.51.100.23', email: 'x@example.com' });
    expect(filled).toEqual(['fbc', 'ttp', 'epik', 'client_user_agent']);
    expect(matched_keys).toEqual(['event:order_1001']);
  });

  it('prefers the context under the more specific key', () => {
    const found = [
      { join_key: 'fbp:fb.1.1.2', updated_at: 9, context: { ttp: 'from-fbp', gclid: 'g' } },
      { join_key: 'checkout:ck', updated_at: 1, context: { ttp: 'from-checkout' } },
    ];
    const { event, matched_keys } = enrichFromBrowser(order(), found, keys);
    expect(event.user).toMatchObject({ ttp: 'from-checkout', gclid: 'g' });
    expect(matched_keys).toEqual(['checkout:ck', 'fbp:fb.1.1.2']);
  });

  it("never takes an fbc of another click than the order's landing fbclid", () => {
    const found = [{ join_key: 'event:order_1001', updated_at: 1, context: { fbc: 'fb.1.5.Other' } }];
    expect(enrichFromBrowser(order({ fbclid: 'AbC' }), found, keys).event.user.fbc).toBeUndefined();
    expect(enrichFromBrowser(order({ fbclid: 'Other' }), found, keys).event.user.fbc).toBe('fb.1.5.Other');
  });

  it('carries a consent denial or a limited-data-use request onto the order', () => {
    const denied = [{ join_key: 'event:order_1001', updated_at: 1, context: { consent: { marketing: false, limited_data_use: false } } }];
    const r = enrichFromBrowser(order(), denied, keys);
    expect(r.event.consent).toEqual({ marketing: false, limited_data_use: false });
    expect(r.filled).toEqual(['consent']);
    const ldu = [{ join_key: 'event:order_1001', updated_at: 1, context: { consent: { marketing: true, limited_data_use: true } } }];
    // The order says nothing about marketing: a browser grant leaves it silent (the consent policy decides at ingest).
    expect(enrichFromBrowser(order(), ldu, keys).event.consent).toEqual({ limited_data_use: true });
    const granted = [{ join_key: 'event:order_1001', updated_at: 1, context: { consent: { marketing: true, limited_data_use: false } } }];
    expect(enrichFromBrowser(order(), granted, keys).filled).toEqual([]);
    expect(enrichFromBrowser(order(), granted, keys).event.consent).toEqual({ limited_data_use: false });
    // An order that recorded a grant keeps it beside the limited-data-use request.
    const grantedOrder = { ...order(), consent: { marketing: true, limited_data_use: false } };
    expect(enrichFromBrowser(grantedOrder, ldu, keys).event.consent).toEqual({ marketing: true, limited_data_use: true });
    expect(enrichFromBrowser(grantedOrder, denied, keys).event.consent).toEqual({ marketing: false, limited_data_use: false });
  });

  it('changes nothing without a context', () => {
    const event = order();
    expect(enrichFromBrowser(event, [], keys)).toEqual({ event, filled: [], matched_keys: [] });
  });
});
