import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badHashedKey, hashedEventArb } from '../../../test/fixtures/platforms/arbitraries.js';
import { PLATFORMS } from '../registry.js';
import { meta } from './index.js';
import type { MetaRequestBody } from './payload.js';

const HASHED_KEYS = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country', 'external_id'] as const;

describe('meta platform', () => {
  it('is registered, with secrets that are real setting names', () => {
    expect(PLATFORMS.meta).toBe(meta);
    const parsed = meta.settingsSchema.parse({ ...meta.placeholderSettings, app_secret: 's', reporting: { ad_account_id: '1', access_token: 'r' } }) as Record<string, unknown>;
    for (const key of meta.secretSettings) expect(parsed).toHaveProperty(key);
  });

  it('never emits an empty or non-hex value in a hashed field, nor an undefined anywhere', () => {
    fc.assert(
      fc.property(fc.array(hashedEventArb, { minLength: 1, maxLength: 5 }), (events) => {
        const body = meta.buildRequest(events, meta.placeholderSettings, { now: 1_800_000_000 }).body as MetaRequestBody;
        expect(body.data).toHaveLength(events.length);
        for (const e of body.data) expect(badHashedKey(e.user_data as Record<string, unknown>, HASHED_KEYS)).toBeUndefined();
        expect(JSON.parse(JSON.stringify(body))).toEqual(body);
      }),
      { numRuns: 300 },
    );
  });
});
