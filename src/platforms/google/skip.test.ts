import { describe, expect, it } from 'vitest';
import { googleSkipReason } from './skip.js';
import { GOOGLE_PLACEHOLDER_SETTINGS } from './settings.js';
import { hashedPurchase } from './testdata/hashed-purchase.js';

const settings = GOOGLE_PLACEHOLDER_SETTINGS;
const noKeys = { em: undefined, em_google: undefined, ph: undefined, ph_e164: undefined, gclid: undefined };

describe('googleSkipReason', () => {
  it('sends a mapped event that has a click id or an email/phone', () => {
    expect(googleSkipReason(hashedPurchase(), settings)).toBeNull();
    const e = hashedPurchase();
    expect(googleSkipReason({ ...e, user: { ...e.user, ...noKeys, wbraid: 'W' } }, settings)).toBeNull();
    expect(googleSkipReason({ ...e, user: { ...e.user, gclid: undefined, em_google: undefined } }, settings)).toBeNull();
  });

  it('skips events without a conversion action', () => {
    expect(googleSkipReason(hashedPurchase({ event_name: 'add_to_cart' }), settings)).toBe('no_conversion_action');
    expect(googleSkipReason(hashedPurchase({ event_name: 'toString' }), settings)).toBe('no_conversion_action');
  });

  it('Data Manager API: skips events with no click id, email, phone or complete address', () => {
    const e = hashedPurchase();
    expect(googleSkipReason({ ...e, user: { ...e.user, ...noKeys } }, settings)).toBeNull(); // the address matches
    expect(googleSkipReason({ ...e, user: { ...e.user, ...noKeys, fn: undefined } }, settings)).toBe('no_match_key');
  });

  it('Google Ads API click conversions: skips events with neither click id nor email/phone', () => {
    const e = hashedPurchase();
    expect(googleSkipReason({ ...e, user: { ...e.user, ...noKeys } }, { ...settings, api: 'google_ads' })).toBe('no_match_key');
  });

  it('in adjustments mode needs an order id and email, phone or a full address', () => {
    const adj = { ...settings, api: 'google_ads' as const, mode: 'adjustments' as const };
    const e = hashedPurchase();
    expect(googleSkipReason(e, adj)).toBeNull();
    expect(googleSkipReason({ ...e, commerce: { value: 1 } }, adj)).toBe('no_order_id');
    expect(googleSkipReason({ ...e, user: { ...e.user, ...noKeys } }, adj)).toBeNull(); // the address still matches
    expect(googleSkipReason({ ...e, user: { ...e.user, ...noKeys, fn: undefined } }, adj)).toBe('no_match_key');
  });
});
