import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badHashedKey, hashedEventArb } from '../../../test/fixtures/platforms/arbitraries.js';
import { PLATFORMS } from '../registry.js';
import { pinterest } from './index.js';
import type { PinterestEvent } from './payload.js';

const HASHED_KEYS = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country', 'external_id'] as const;

describe('pinterest platform', () => {
  it('is registered, with secrets that are real setting names', () => {
    expect(PLATFORMS.pinterest).toBe(pinterest);
    const parsed = pinterest.settingsSchema.parse({ ...pinterest.placeholderSettings, reporting: { access_token: 'r' } }) as Record<string, unknown>;
    for (const key of pinterest.secretSettings) expect(parsed).toHaveProperty(key);
  });

  it('never emits an empty or non-hex hash, a hashed key that is not an array, nor an undefined anywhere', () => {
    fc.assert(
      fc.property(fc.array(hashedEventArb, { minLength: 1, maxLength: 5 }), (events) => {
        const body = pinterest.buildRequest(events, pinterest.placeholderSettings, { now: 1_800_000_000 }).body as { data: PinterestEvent[] };
        expect(body.data).toHaveLength(events.length);
        for (const e of body.data) {
          const user = e.user_data as Record<string, unknown>;
          expect(badHashedKey(user, HASHED_KEYS)).toBeUndefined();
          for (const key of HASHED_KEYS) if (key in user) expect(Array.isArray(user[key]), key).toBe(true);
        }
        expect(JSON.parse(JSON.stringify(body))).toEqual(body);
      }),
      { numRuns: 300 },
    );
  });
});
