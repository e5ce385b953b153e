import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCanonicalEvent } from '../../event/parse.js';
import { hashOnce } from '../../identity/hash-once.js';
import { klaviyo } from './index.js';

// End to end: canonical event → parseCanonicalEvent → hashOnce → klaviyo.buildRequest, against the golden.

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));
const settings = klaviyo.settingsSchema.parse({ id: 'klaviyo', platform: 'klaviyo', api_key: 'pk_test_123' });

describe('klaviyo golden request from a canonical purchase', () => {
  it('builds the golden Create Event request with the raw profile', () => {
    const hashed = hashOnce(parseCanonicalEvent(read('purchase.event.json')));
    expect(klaviyo.skipReason(hashed, settings)).toBeNull();
    expect(klaviyo.buildRequest([hashed], settings, { now: 1764330000 })).toEqual(read('purchase.golden.json'));
  });

  it('is skipped when the identity pass kept no contact (no Klaviyo leg asked for it)', () => {
    const hashed = hashOnce(parseCanonicalEvent(read('purchase.event.json')), { includeContact: false });
    expect(klaviyo.skipReason(hashed, settings)).toBe('no_profile_identifier');
  });
});
