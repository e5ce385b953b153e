import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { canonicalPurchaseHashed } from '../../../test/fixtures/platforms/end-to-end.js';
import { buildTikTokRequest } from './payload.js';
import { tiktokSettingsSchema } from './settings.js';
import { tiktok } from './index.js';

// End to end: the canonical example purchase (test/fixtures/platforms/end-to-end.ts) → parseCanonicalEvent → hashOnce
// → buildRequest, against the same golden file the hand-built fixture is checked against (payload.test.ts): both
// paths must agree to the byte.
describe('tiktok golden purchase, end to end', () => {
  const settings = tiktokSettingsSchema.parse({ id: 'tiktok', platform: 'tiktok', pixel_code: 'C4ABC123', access_token: 'tt-token' });

  it('is sendable and builds the golden request', () => {
    const event = canonicalPurchaseHashed();
    expect(tiktok.skipReason(event, settings)).toBeNull();
    expectGolden(new URL('./golden/purchase.json', import.meta.url), buildTikTokRequest([event], settings));
  });
});
