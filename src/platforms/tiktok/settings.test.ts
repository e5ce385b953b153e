import { describe, expect, it } from 'vitest';
import { isTikTokTestMode, TIKTOK_PLACEHOLDER_SETTINGS, tiktokSettingsSchema } from './settings.js';

const minimal = { id: 'tiktok', platform: 'tiktok', pixel_code: 'C4ABC123', access_token: 'tok' };

describe('tiktokSettingsSchema', () => {
  it('accepts the common destination fields', () => {
    const s = tiktokSettingsSchema.parse({ ...minimal, base_url: 'http://127.0.0.1:9200', enabled: false, send_browser_events: true });
    expect(s).toMatchObject({ pixel_code: 'C4ABC123', base_url: 'http://127.0.0.1:9200', enabled: false, send_browser_events: true });
  });

  it('names the missing key', () => {
    expect(tiktokSettingsSchema.safeParse({ id: 'tiktok', platform: 'tiktok', pixel_code: 'C1' }).error?.issues[0]?.path).toEqual(['access_token']);
    expect(tiktokSettingsSchema.safeParse({ ...minimal, pixel_code: 'C1/../x' }).error?.issues[0]?.path).toEqual(['pixel_code']);
  });

  it('refuses test: true without a test_event_code', () => {
    expect(tiktokSettingsSchema.safeParse({ ...minimal, test: true }).error?.issues[0]?.path).toEqual(['test_event_code']);
  });

  it('is in test mode when a test_event_code is set, unless test is explicitly false', () => {
    expect(isTikTokTestMode(tiktokSettingsSchema.parse(minimal))).toBe(false);
    expect(isTikTokTestMode(tiktokSettingsSchema.parse({ ...minimal, test_event_code: 'TEST1' }))).toBe(true);
    expect(isTikTokTestMode(tiktokSettingsSchema.parse({ ...minimal, test_event_code: 'TEST1', test: false }))).toBe(false);
  });

  it('validates its own placeholder settings', () => {
    expect(tiktokSettingsSchema.parse(TIKTOK_PLACEHOLDER_SETTINGS)).toEqual(TIKTOK_PLACEHOLDER_SETTINGS);
  });
});
