import { describe, expect, it } from 'vitest';
import { isPinterestTestMode, PINTEREST_PLACEHOLDER_SETTINGS, pinterestSettingsSchema } from './settings.js';

const minimal = { id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'pina_x' };

describe('pinterestSettingsSchema', () => {
  it('accepts the common destination fields', () => {
    const s = pinterestSettingsSchema.parse({ ...minimal, base_url: 'http://127.0.0.1:9300', test: true, enabled: true, send_browser_events: false });
    expect(s).toMatchObject({ ad_account_id: '549755885175', base_url: 'http://127.0.0.1:9300', test: true });
  });

  it('names the missing or malformed key', () => {
    expect(pinterestSettingsSchema.safeParse({ id: 'p', platform: 'pinterest', access_token: 'x' }).error?.issues[0]?.path).toEqual(['ad_account_id']);
    expect(pinterestSettingsSchema.safeParse({ ...minimal, access_token: '' }).error?.issues[0]?.path).toEqual(['access_token']);
  });

  it('is in test mode exactly when test is true', () => {
    expect(isPinterestTestMode(pinterestSettingsSchema.parse(minimal))).toBe(false);
    expect(isPinterestTestMode(pinterestSettingsSchema.parse({ ...minimal, test: true }))).toBe(true);
  });

  it('validates its own placeholder settings', () => {
    expect(pinterestSettingsSchema.parse(PINTEREST_PLACEHOLDER_SETTINGS)).toEqual(PINTEREST_PLACEHOLDER_SETTINGS);
  });
});
