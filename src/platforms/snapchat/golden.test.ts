import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { canonicalPurchaseWithClickIdsHashed } from '../../../test/fixtures/platforms/end-to-end.js';
import { buildSnapchatRequest } from './payload.js';
import { snapchatSettingsSchema } from './settings.js';
import { snapchat } from './index.js';

// End to end: the canonical purchase (with Snap's click id and cookie) → parseCanonicalEvent → hashOnce → buildRequest,
// against the golden file the hand-built fixture is checked against (payload.test.ts).
describe('snapchat golden purchase, end to end', () => {
  const settings = snapchatSettingsSchema.parse({ id: 'snapchat', platform: 'snapchat', pixel_id: 'b3b2f3c6-9a1e-4d6f', access_token: 'snap-token' });

  it('is sendable and builds the golden request', () => {
    const event = canonicalPurchaseWithClickIdsHashed();
    expect(snapchat.skipReason(event, settings)).toBeNull();
    expectGolden(new URL('./golden/purchase.json', import.meta.url), buildSnapchatRequest([event], settings));
  });
});
