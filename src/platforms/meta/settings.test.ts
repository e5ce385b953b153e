import { describe, expect, it } from 'vitest';
import { isMetaTestMode, META_PLACEHOLDER_SETTINGS, metaSettingsSchema } from './settings.js';

const minimal = { id: 'meta', platform: 'meta', pixel_id: '123456789', access_token: 'EAAB' };

describe('metaSettingsSchema', () => {
  it('accepts the common destination fields and fills the defaults', () => {
    const s = metaSettingsSchema.parse({ ...minimal, base_url: 'http://127.0.0.1:9000', enabled: true, send_browser_events: false });
    expect(s.api_version).toBe('v26.0');
    expect(s.incomplete_website_events).toBe('send_as_other');
    expect(s.base_url).toBe('http://127.0.0.1:9000');
    expect(s.enabled).toBe(true);
  });

  it('names the missing or malformed key', () => {
    const missing = metaSettingsSchema.safeParse({ id: 'meta', platform: 'meta', access_token: 'x' });
    expect(missing.error?.issues[0]?.path).toEqual(['pixel_id']);
    const badVersion = metaSettingsSchema.safeParse({ ...minimal, api_version: '26' });
    expect(badVersion.error?.issues[0]?.path).toEqual(['api_version']);
    expect(metaSettingsSchema.safeParse({ ...minimal, platform: 'tiktok' }).success).toBe(false);
  });

  it('refuses test: true without a test_event_code (it would send live events)', () => {
    const r = metaSettingsSchema.safeParse({ ...minimal, test: true });
    expect(r.error?.issues[0]?.path).toEqual(['test_event_code']);
  });

  it('is in test mode when a test_event_code is set, unless test is explicitly false', () => {
    expect(isMetaTestMode(metaSettingsSchema.parse(minimal))).toBe(false);
    expect(isMetaTestMode(metaSettingsSchema.parse({ ...minimal, test_event_code: 'TEST1' }))).toBe(true);
    expect(isMetaTestMode(metaSettingsSchema.parse({ ...minimal, test_event_code: 'TEST1', test: true }))).toBe(true);
    expect(isMetaTestMode(metaSettingsSchema.parse({ ...minimal, test_event_code: 'TEST1', test: false }))).toBe(false);
  });

  it('validates its own placeholder settings', () => {
    expect(metaSettingsSchema.parse(META_PLACEHOLDER_SETTINGS)).toEqual(META_PLACEHOLDER_SETTINGS);
  });

  it('reads reporting.ad_account_id with or without act_, and refuses an unknown reporting key by name', () => {
    expect(metaSettingsSchema.parse({ ...minimal, reporting: { ad_account_id: 'act_998877' } }).reporting).toEqual({ ad_account_id: '998877' });
    expect(metaSettingsSchema.parse({ ...minimal, reporting: { ad_account_id: '998877', access_token: 'ads' } }).reporting).toEqual({ ad_account_id: '998877', access_token: 'ads' });
    expect(metaSettingsSchema.safeParse({ ...minimal, reporting: { ad_account_id: 'my-account' } }).error?.issues[0]?.path).toEqual(['reporting', 'ad_account_id']);
    const typo = metaSettingsSchema.safeParse({ ...minimal, reporting: { ad_account_id: '1', acces_token: 'x' } });
    expect(typo.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['acces_token'], path: ['reporting'] });
  });
});
