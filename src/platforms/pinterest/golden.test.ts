import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { canonicalPurchaseHashed } from '../../../test/fixtures/platforms/end-to-end.js';
import { parseCanonicalEvent } from '../../event/parse.js';
import { hashOnce } from '../../identity/hash-once.js';
import { buildPinterestRequest } from './payload.js';
import { pinterestSettingsSchema } from './settings.js';
import { pinterest } from './index.js';

// End to end: the canonical example purchase (test/fixtures/platforms/end-to-end.ts) → parseCanonicalEvent → hashOnce
// → buildRequest, against the same golden file the hand-built fixture is checked against (payload.test.ts): both
// paths must agree to the byte.
describe('pinterest golden purchase, end to end', () => {
  const settings = pinterestSettingsSchema.parse({ id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'pina_x' });

  it('is sendable and builds the golden request', () => {
    const event = canonicalPurchaseHashed();
    expect(pinterest.skipReason(event, settings)).toBeNull();
    expectGolden(new URL('./golden/purchase.json', import.meta.url), buildPinterestRequest([event], settings));
  });
});

describe('pinterest st, end to end', () => {
  const settings = pinterestSettingsSchema.parse({ id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'pina_x' });
  // ConversionEventsUserData.st: "two-character state code" (pinterest/api-description v5/openapi.json).
  it.each([
    ['Maharashtra', 'IN', 'mh'],
    ['Bayern', 'DE', 'by'],
    ['Ontario', 'CA', 'on'],
  ])('%s (%s) goes out as the hash of its ISO 3166-2 code %s, not of the name', (state, country, code) => {
    const event = hashOnce(parseCanonicalEvent({ event_name: 'purchase', event_time: 1764326400, user: { email: 'a@example.com', state, country } }));
    const body = buildPinterestRequest([event], settings).body as { data: { user_data: { st?: string[] } }[] };
    expect(body.data[0]!.user_data.st).toEqual([createHash('sha256').update(code).digest('hex')]);
  });
});
