import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badHashedKey, hashedEventArb } from '../../../test/fixtures/platforms/arbitraries.js';
import { PLATFORMS } from '../registry.js';
import { tiktok } from './index.js';
import type { TikTokRequestBody } from './payload.js';

const HASHED_KEYS = ['email', 'phone', 'external_id', 'first_name', 'last_name', 'zip_code'] as const;

describe('tiktok platform', () => {
  it('is registered, with secrets that are real setting names', () => {
    expect(PLATFORMS.tiktok).toBe(tiktok);
    const parsed = tiktok.settingsSchema.parse({ ...tiktok.placeholderSettings, reporting: { advertiser_id: '1', access_token: 'r' } }) as Record<string, unknown>;
    for (const key of tiktok.secretSettings) expect(parsed).toHaveProperty(key);
  });

  it('never emits an empty or non-hex value in a hashed field, nor an undefined anywhere', () => {
    fc.assert(
      fc.property(fc.array(hashedEventArb, { minLength: 1, maxLength: 5 }), (events) => {
        const body = tiktok.buildRequest(events, tiktok.placeholderSettings, { now: 1_800_000_000 }).body as TikTokRequestBody;
        expect(body.data).toHaveLength(events.length);
        for (const e of body.data) expect(badHashedKey(e.user as Record<string, unknown>, HASHED_KEYS)).toBeUndefined();
        expect(JSON.parse(JSON.stringify(body))).toEqual(body);
      }),
      { numRuns: 300 },
    );
  });
});
