import { describe, expect, it } from 'vitest';
import { wireKeysPerEvent } from './wire-keys.js';

const keys = (sets: Set<string>[] | null) => sets?.map((s) => [...s].sort());

describe('wireKeysPerEvent', () => {
  it('reads Meta and Pinterest user_data per event; empty values carry nothing', () => {
    const body = { data: [{ user_data: { em: ['h'], ph: [], client_ip_address: '', fbc: 'fb.1.2.x' } }, { user_data: {} }] };
    expect(keys(wireKeysPerEvent('meta', body))).toEqual([['em', 'fbc'], []]);
    expect(keys(wireKeysPerEvent('pinterest', { data: [{ user_data: { click_id: 'e', em: ['h'] } }] }))).toEqual([['click_id', 'em']]);
  });

  it('reads TikTok data[].user', () => {
    expect(keys(wireKeysPerEvent('tiktok', { data: [{ user: { email: 'h', ip: '1.2.3.4', locale: 'en' } }] }))).toEqual([['email', 'ip']]);
  });

  it('reads a Data Manager body: userData.userIdentifiers and adIdentifiers.gclid', () => {
    const body = {
      events: [
        { adIdentifiers: { gclid: 'Cj0', landingPageDeviceInfo: { userAgent: 'UA' } }, userData: { userIdentifiers: [{ emailAddress: 'h' }, { phoneNumber: 'p' }] } },
        { userData: { userIdentifiers: [{ address: { givenName: 'f' } }] } },
      ],
    };
    expect(keys(wireKeysPerEvent('google', body))).toEqual([['emailAddress', 'gclid', 'phoneNumber'], ['address']]);
  });

  it('reads a Google Ads API body into the same names: userIdentifiers, and the click id from the conversion or its gclid pair', () => {
    const body = {
      conversions: [
        { gclid: 'Cj0', userIdentifiers: [{ hashedEmail: 'h' }, { hashedPhoneNumber: 'p' }] },
        { userIdentifiers: [{ addressInfo: { hashedFirstName: 'f' } }] },
      ],
    };
    expect(keys(wireKeysPerEvent('google', body))).toEqual([['emailAddress', 'gclid', 'phoneNumber'], ['address']]);
    const adjustments = { conversionAdjustments: [{ gclidDateTimePair: { gclid: 'Cj0' }, userIdentifiers: [] }] };
    expect(keys(wireKeysPerEvent('google', adjustments))).toEqual([['gclid']]);
  });

  it('reads Klaviyo profile attributes of a single Create Event body', () => {
    const body = { data: { type: 'event', attributes: { profile: { data: { type: 'profile', attributes: { email: 'a@b.c', external_id: 'x' } } } } } };
    expect(keys(wireKeysPerEvent('klaviyo', body))).toEqual([['email', 'external_id']]);
  });

  it('returns null for a body of another shape', () => {
    expect(wireKeysPerEvent('meta', { events: [] })).toBeNull();
    expect(wireKeysPerEvent('google', 'x')).toBeNull();
  });
});
