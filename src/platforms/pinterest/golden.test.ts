import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { canonicalPurchaseHashed } from '../../../test/fixtures/platforms/end-to-end.js';
import { buildPinterestRequest } from './payload.js';
import { pinterestSettingsSchema } from './settings.js';
import { pinterest } from './index.js';

// End to end: the DESIGN.md canonical purchase → parseCanonicalEvent → hashOnce → buildRequest, against the same
// golden file the hand-built fixture is checked against (payload.test.ts): both paths must agree to the byte.
describe('pinterest golden purchase, end to end', () => {
  const settings = pinterestSettingsSchema.parse({ id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'pina_x' });

  it('is sendable and builds the golden request', () => {
    const event = canonicalPurchaseHashed();
    expect(pinterest.skipReason(event, settings)).toBeNull();
    expectGolden(new URL('./golden/purchase.json', import.meta.url), buildPinterestRequest([event], settings));
  });
});
