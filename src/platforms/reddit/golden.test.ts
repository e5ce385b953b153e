import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { canonicalPurchaseWithClickIdsHashed } from '../../../test/fixtures/platforms/end-to-end.js';
import { buildRedditRequest } from './payload.js';
import { redditSettingsSchema } from './settings.js';
import { reddit } from './index.js';

// End to end: canonical purchase with rdt_cid and _rdt_uuid → parseCanonicalEvent → hashOnce → buildRequest = the golden file.
describe('reddit golden purchase, end to end', () => {
  const settings = redditSettingsSchema.parse({ id: 'reddit', platform: 'reddit', pixel_id: 'a2_abc123', access_token: 'rdt-token' });

  it('is sendable and builds the golden request', () => {
    const event = canonicalPurchaseWithClickIdsHashed();
    expect(reddit.skipReason(event, settings)).toBeNull();
    expectGolden(new URL('./golden/purchase.json', import.meta.url), buildRedditRequest([event], settings));
  });
});
