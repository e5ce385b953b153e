import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCanonicalEvent } from '../../event/parse.js';
import { hashOnce } from '../../identity/hash-once.js';
import { loadRequestContract } from '../contract/request-contract.js';
import { google } from './index.js';

// End to end: canonical event → parseCanonicalEvent → hashOnce → google.buildRequest, against the goldens.

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));
const settings = google.settingsSchema.parse({
  id: 'google',
  platform: 'google',
  customer_id: '123-456-7890',
  login_customer_id: '111-222-3333',
  api: 'google_ads',
  developer_token: 'dev-token',
  conversion_actions: { purchase: '987' },
  oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' },
  merchant_id: '5551234',
  feed_country_code: 'US',
  feed_language_code: 'en',
});
const ctx = { now: 1764330000, accessToken: 'ya29.test-token' };
const event = () => hashOnce(parseCanonicalEvent(read('purchase.event.json')));

describe('google golden requests from a canonical purchase', () => {
  it('click conversions, meeting the uploadClickConversions request contract', () => {
    const hashed = event();
    expect(google.skipReason(hashed, settings)).toBeNull();
    const request = google.buildRequest([hashed], settings, ctx);
    expect(request).toEqual(read('purchase.click-conversions.golden.json'));
    const contract = loadRequestContract(new URL('./contract/upload-click-conversions.schema.json', import.meta.url));
    expect(contract.check(request.body)).toEqual([]);
    // The contract refuses what Google refuses on a click conversion: adPersonalization consent.
    const body = request.body as { conversions: { consent: Record<string, string> }[] };
    body.conversions[0]!.consent.adPersonalization = 'GRANTED';
    expect(contract.check(body)).toEqual([expect.objectContaining({ kind: 'unknown_field', field: 'adPersonalization' })]);
  });

  it('enhanced conversions for web adjustments', () => {
    expect(google.buildRequest([event()], { ...settings, mode: 'adjustments' }, ctx)).toEqual(read('purchase.adjustments.golden.json'));
  });

  it('hashes the gmail address without the dots of its local part, unlike the other platforms', () => {
    const body = JSON.stringify(google.buildRequest([event()], settings, ctx).body);
    expect(body).toContain(hash('sha256', 'janedoe@gmail.com'));
    expect(body).not.toContain(hash('sha256', 'jane.doe@gmail.com'));
  });

  it('sends the address geography unhashed (and no hash of it anywhere)', () => {
    const request = google.buildRequest([event()], { ...settings, mode: 'adjustments' }, ctx);
    const adjustment = (request.body as { conversionAdjustments: { userIdentifiers: { addressInfo?: Record<string, string> }[] }[] }).conversionAdjustments[0]!;
    const address = adjustment.userIdentifiers.find((i) => i.addressInfo)?.addressInfo;
    expect(address).toMatchObject({ city: 'menlo park', state: 'CA', countryCode: 'US', postalCode: '94025' });
    const body = JSON.stringify(request.body);
    for (const plain of ['menlopark', 'menlo park', 'ca', 'us', '94025']) expect(body).not.toContain(hash('sha256', plain));
  });

  it('sends nothing raw: no email, phone, name or street in clear', () => {
    const body = JSON.stringify(google.buildRequest([event()], { ...settings, mode: 'adjustments' }, ctx));
    for (const raw of ['jane.doe@gmail.com', 'janedoe@gmail.com', '6505551212', 'Jane', 'Hacker']) expect(body.toLowerCase()).not.toContain(raw.toLowerCase());
  });
});
