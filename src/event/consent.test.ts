import { describe, expect, it } from 'vitest';
import { applyConsentPolicy, defaultConsentFor, EEA_COUNTRIES, type ConsentPolicy } from './consent.js';
import { parseCanonicalEvent } from './parse.js';

const eeaDenied: ConsentPolicy = { default: 'granted', countries: { EEA: 'denied', NO: 'granted' } };

describe('consent policy', () => {
  it('denies an EEA shopper by the group rule, lets a country rule override it, and falls back to the default', () => {
    expect(EEA_COUNTRIES).toHaveLength(30);
    expect(defaultConsentFor(eeaDenied, 'DE')).toBe('denied');
    expect(defaultConsentFor(eeaDenied, 'de')).toBe('denied');
    expect(defaultConsentFor(eeaDenied, 'NO')).toBe('granted');
    expect(defaultConsentFor(eeaDenied, 'US')).toBe('granted');
    expect(defaultConsentFor(eeaDenied, undefined)).toBe('granted');
    expect(defaultConsentFor(eeaDenied, 'Germany')).toBe('granted');
    expect(defaultConsentFor({ default: 'denied', countries: { US: 'granted' } }, 'US')).toBe('granted');
    expect(defaultConsentFor({ default: 'denied', countries: { US: 'granted' } }, 'CA')).toBe('denied');
  });

  it('fills only the silence: an event carrying a decision keeps it', () => {
    const silent = parseCanonicalEvent({ event_name: 'lead', event_time: 1764326400, user: { country: 'fr' }, consent: { limited_data_use: true } });
    expect(applyConsentPolicy(silent, eeaDenied).consent).toEqual({ marketing: false, limited_data_use: true });
    const granted = parseCanonicalEvent({ event_name: 'lead', event_time: 1764326400, user: { country: 'FR' }, consent: { marketing: true } });
    expect(applyConsentPolicy(granted, eeaDenied)).toBe(granted);
    const denied = parseCanonicalEvent({ event_name: 'lead', event_time: 1764326400, user: { country: 'US' }, consent: { marketing: false } });
    expect(applyConsentPolicy(denied, { default: 'granted', countries: {} }).consent.marketing).toBe(false);
  });
});
