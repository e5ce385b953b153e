import { describe, expect, it } from 'vitest';
import { platformFor } from '../registry.js';
import { google } from './index.js';
import { GOOGLE_PLACEHOLDER_SETTINGS } from './settings.js';

describe('google platform', () => {
  it('is the registry entry for "google"', () => {
    expect(platformFor('google')).toBe(google);
    expect(google.maxBatch).toBe(2000);
  });

  it('names events by their conversion action (a resource name on the Google Ads API), null when unmapped', () => {
    const settings = { ...GOOGLE_PLACEHOLDER_SETTINGS, customer_id: '1234567890', conversion_actions: { purchase: '987', lead: '55' } };
    expect(google.eventName('purchase', settings)).toBe('987');
    expect(google.eventName('nope', settings)).toBeNull();
    const ads = { ...settings, api: 'google_ads' as const, developer_token: 'd' };
    expect(google.eventName('purchase', ads)).toBe('customers/1234567890/conversionActions/987');
    expect(google.eventName('lead', ads)).toBe('customers/1234567890/conversionActions/55');
    expect(google.eventName('add_to_cart', ads)).toBeNull();
  });

  it('takes events older than 24 h out of enhancement adjustments, 90 days otherwise', () => {
    expect(google.maxEventAgeFor!(GOOGLE_PLACEHOLDER_SETTINGS)).toBe(90 * 86_400);
    expect(google.maxEventAgeFor!({ ...GOOGLE_PLACEHOLDER_SETTINGS, api: 'google_ads', mode: 'adjustments' })).toBe(86_400);
  });


  it('is in test mode (validateOnly) only when the destination says test', () => {
    expect(google.isTestMode(GOOGLE_PLACEHOLDER_SETTINGS)).toBe(false);
    expect(google.isTestMode({ ...GOOGLE_PLACEHOLDER_SETTINGS, test: true })).toBe(true);
  });

  it('its placeholder settings pass its own schema, except for the placeholder ids', () => {
    const r = google.settingsSchema.safeParse({ ...GOOGLE_PLACEHOLDER_SETTINGS, customer_id: '1234567890', conversion_actions: { purchase: '1' } });
    expect(r.success).toBe(true);
  });
});
