import { describe, expect, it } from 'vitest';
import { hashedPurchase, JANE } from '../../../test/fixtures/platforms/hashed-events.js';
import { ga4Findings } from './lint.js';

const codes = (event = hashedPurchase()) => ga4Findings(event).map((f) => `${f.code} ${f.field}`);

describe('ga4Findings', () => {
  it('says when the _ga client id or the session id is missing from a website event', () => {
    expect(codes()).toEqual(['GA4_NO_CLIENT_ID user.ga_client_id']);
    expect(codes(hashedPurchase({ user: { ...JANE, ga_client_id: '1.2' } }))).toEqual(['GA4_NO_SESSION_ID user.ga_session_id']);
    expect(codes(hashedPurchase({ user: { ...JANE, ga_client_id: '1.2', ga_session_id: '3' } }))).toEqual([]);
    expect(codes(hashedPurchase({ event_name: 'refund', user: {} }))).toEqual([]);
    expect(ga4Findings(hashedPurchase())[0]?.platforms).toEqual(['ga4']);
  });

  it('names what GA4 would drop without an error', () => {
    const user = { ...JANE, ga_client_id: '1.2', ga_session_id: '3' };
    expect(codes(hashedPurchase({ user, event_name: 'session_start' }))).toEqual(['GA4_LIMIT event_name']);
    expect(codes(hashedPurchase({ user, event_name: 'my-event' }))).toEqual(['GA4_LIMIT event_name']);
    expect(codes(hashedPurchase({ user, custom_data: { 'bad-name': 1 } }))).toEqual(['GA4_LIMIT custom_data']);
    expect(codes(hashedPurchase({ user, custom_data: { note: 'x'.repeat(101) } }))).toEqual(['GA4_LIMIT custom_data']);
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, i]));
    expect(codes(hashedPurchase({ user, custom_data: many }))).toEqual(['GA4_LIMIT custom_data']);
    const items = Array.from({ length: 201 }, (_, i) => ({ id: `S${i}` }));
    expect(codes(hashedPurchase({ user, commerce: { value: 1, currency: 'USD', order_id: '1', items } }))).toEqual(['GA4_LIMIT commerce.items']);
  });
});
