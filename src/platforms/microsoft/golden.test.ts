import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { canonicalPurchaseWithClickIdsHashed } from '../../../test/fixtures/platforms/end-to-end.js';
import { buildMicrosoftRequest } from './payload.js';
import { microsoftSettingsSchema } from './settings.js';
import { microsoft } from './index.js';

// End to end: canonical purchase with msclkid → parseCanonicalEvent → hashOnce → buildRequest = the golden file.
describe('microsoft golden purchase, end to end', () => {
  const settings = microsoftSettingsSchema.parse({ id: 'microsoft', platform: 'microsoft', tag_id: '343210987', access_token: 'ms-token' });

  it('is sendable and builds the golden request', () => {
    const event = canonicalPurchaseWithClickIdsHashed();
    expect(microsoft.skipReason(event, settings)).toBeNull();
    expectGolden(new URL('./golden/purchase.json', import.meta.url), buildMicrosoftRequest([event], settings));
  });
});
