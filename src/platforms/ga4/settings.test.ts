import { describe, expect, it } from 'vitest';
import { GA4_PLACEHOLDER_SETTINGS, ga4SettingsSchema, isGa4TestMode } from './settings.js';

const minimal = { id: 'ga4', platform: 'ga4', measurement_id: 'G-ABC123XYZ9', api_secret: 'sEcReT_value-1' };

describe('ga4SettingsSchema', () => {
  it('accepts a measurement id and API secret, region global by default', () => {
    expect(ga4SettingsSchema.parse(minimal)).toMatchObject({ measurement_id: 'G-ABC123XYZ9', region: 'global' });
  });

  it('names the wrong key: a stream id is not a measurement id', () => {
    expect(ga4SettingsSchema.safeParse({ ...minimal, measurement_id: '1234567890' }).error?.issues[0]?.path).toEqual(['measurement_id']);
    expect(ga4SettingsSchema.safeParse({ ...minimal, api_secret: '' }).error?.issues[0]?.path).toEqual(['api_secret']);
    expect(ga4SettingsSchema.safeParse({ ...minimal, region: 'us' }).error?.issues[0]?.path).toEqual(['region']);
  });

  it('is in test mode with test: true', () => {
    expect(isGa4TestMode(ga4SettingsSchema.parse(minimal))).toBe(false);
    expect(isGa4TestMode(ga4SettingsSchema.parse({ ...minimal, test: true }))).toBe(true);
  });

  it('validates its own placeholder settings', () => {
    expect(ga4SettingsSchema.parse(GA4_PLACEHOLDER_SETTINGS)).toEqual(GA4_PLACEHOLDER_SETTINGS);
  });
});
