import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { canonicalPurchaseHashed } from '../../../test/fixtures/platforms/end-to-end.js';
import { buildMetaRequest } from './payload.js';
import { metaSettingsSchema } from './settings.js';
import { meta } from './index.js';

// End to end: the canonical example purchase (test/fixtures/platforms/end-to-end.ts) → parseCanonicalEvent → hashOnce
// → buildRequest, against the same golden file the hand-built fixture is checked against (payload.test.ts): both
// paths must agree to the byte.
describe('meta golden purchase, end to end', () => {
  const settings = metaSettingsSchema.parse({ id: 'meta', platform: 'meta', pixel_id: '123456789', access_token: 'EAAB-token' });

  it('is sendable and builds the golden request', () => {
    const event = canonicalPurchaseHashed();
    expect(meta.skipReason(event, settings)).toBeNull();
    expectGolden(new URL('./golden/purchase.json', import.meta.url), buildMetaRequest([event], settings));
  });
});
