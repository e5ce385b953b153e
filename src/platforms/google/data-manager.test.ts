import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCanonicalEvent } from '../../event/parse.js';
import { hashOnce } from '../../identity/hash-once.js';
import { loadRequestContract } from '../contract/request-contract.js';
import { buildDataManagerRequest, buildRequestStatusCheck, dataManagerEvent, dataManagerIdentifiers, rfc3339 } from './data-manager.js';
import { google } from './index.js';
import { googleSettingsSchema } from './settings.js';
import { hashedPurchase, sha256 } from './testdata/hashed-purchase.js';

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));
const contract = loadRequestContract(new URL('./contract/events-ingest.schema.json', import.meta.url));

const settings = googleSettingsSchema.parse({
  id: 'google',
  platform: 'google',
  customer_id: '123-456-7890',
  login_customer_id: '111-222-3333',
  conversion_actions: { purchase: '987', lead: '55' },
  oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' },
  merchant_id: '5551234',
  feed_country_code: 'US',
  feed_language_code: 'en',
});
const ctx = { now: 1764330000, accessToken: 'ya29.test-token' };
const canonical = (user: Record<string, unknown>) =>
  hashOnce(parseCanonicalEvent({ event_id: 'order_7', event_name: 'purchase', event_time: 1764326400, action_source: 'website', user, commerce: { value: 1.99, currency: 'USD', order_id: '7' } }));

describe('Data Manager API request (the default for platform "google")', () => {
  it('builds the golden events:ingest request from a canonical purchase, and it meets the request contract', () => {
    const event = hashOnce(parseCanonicalEvent(read('purchase.event.json')));
    const request = google.buildRequest([event], settings, ctx);
    expect(request).toEqual(read('purchase.data-manager.golden.json'));
    expect(contract.check(request.body)).toEqual([]);
  });

  it('normalizes and hashes user data with the formatting guide’s own examples', () => {
    // https://developers.google.com/data-manager/api/get-started/formatting
    const gmail = dataManagerIdentifiers(canonical({ email: 'cloudy.sanfrancisco+shopping@gmail.com', phone: '(800)555-0100', country: 'US' }).user);
    expect(gmail).toEqual([{ emailAddress: sha256('cloudysanfrancisco@gmail.com') }, { phoneNumber: sha256('+18005550100') }]);
    const other = dataManagerIdentifiers(canonical({ email: 'user.name+NYC@Example.com' }).user);
    expect(other).toEqual([{ emailAddress: sha256('user.name+nyc@example.com') }]);
  });

  it('sends names hashed and region/postal code in the clear, at most 10 identifiers', () => {
    const user = canonical({ email: 'shopper@example.com', phone: '+16505551212', first_name: ' Jane ', last_name: 'DOE', zip: '94025', country: 'us' }).user;
    expect(dataManagerIdentifiers(user)).toEqual([
      { emailAddress: sha256('shopper@example.com') },
      { phoneNumber: sha256('+16505551212') },
      { address: { givenName: sha256('jane'), familyName: sha256('doe'), regionCode: 'US', postalCode: '94025' } },
    ]);
    const many = dataManagerIdentifiers({ ...user, em_google: Array.from({ length: 12 }, (_, i) => sha256(`s${i}@example.com`)) });
    expect(many).toHaveLength(10);
    expect(many[1]).toEqual({ phoneNumber: sha256('+16505551212') });
    expect(many[9]).toHaveProperty('address');
  });

  it('maps consent per event: ad user data from marketing consent, personalization withheld under limited data use', () => {
    const e = dataManagerEvent(hashedPurchase({ consent: { marketing: true, limited_data_use: true } }), settings);
    expect(e.consent).toEqual({ adUserData: 'CONSENT_GRANTED', adPersonalization: 'CONSENT_DENIED' });
    expect(dataManagerEvent(hashedPurchase({ consent: { marketing: false, limited_data_use: false } }), settings).consent).toEqual({ adUserData: 'CONSENT_DENIED', adPersonalization: 'CONSENT_DENIED' });
  });

  it('sends one click id, the user agent, and the IP only outside the EEA, UK and Switzerland', () => {
    const e = hashedPurchase();
    const us = dataManagerEvent(e, settings).adIdentifiers;
    expect(us).toEqual({ gclid: 'Cj0KCQiA-test', landingPageDeviceInfo: { userAgent: 'Mozilla/5.0 (Macintosh)', ipAddress: '203.0.113.7' } });
    const de = dataManagerEvent({ ...e, user: { ...e.user, geo: { ...e.user.geo, country: 'DE' } } }, settings).adIdentifiers;
    expect(de).toEqual({ gclid: 'Cj0KCQiA-test', landingPageDeviceInfo: { userAgent: 'Mozilla/5.0 (Macintosh)' } });
    const braid = dataManagerEvent({ ...e, user: { ...e.user, gclid: undefined, gbraid: 'GB', wbraid: 'WB' } }, settings).adIdentifiers;
    expect(braid).toMatchObject({ gbraid: 'GB' });
    expect(braid).not.toHaveProperty('wbraid');
  });

  it('sends each event to its conversion action: one destination per action, referenced by the events', () => {
    const events = [hashedPurchase(), hashedPurchase({ event_id: 'lead_1', event_name: 'lead', commerce: undefined }), hashedPurchase({ event_id: 'order_2', commerce: { order_id: '2' } })];
    const body = buildDataManagerRequest(events, { ...settings, login_customer_id: undefined }, ctx).body as { destinations: unknown[]; events: Record<string, unknown>[] };
    expect(body.destinations).toEqual([
      { reference: '987', operatingAccount: { accountType: 'GOOGLE_ADS', accountId: '1234567890' }, productDestinationId: '987' },
      { reference: '55', operatingAccount: { accountType: 'GOOGLE_ADS', accountId: '1234567890' }, productDestinationId: '55' },
    ]);
    expect(body.events.map((e) => [e.destinationReferences, e.transactionId])).toEqual([[['987'], '1001'], [['55'], 'lead_1'], [['987'], '2']]);
    expect(contract.check(body)).toEqual([]);
  });

  it('validates only in test mode, needs no developer token, and goes to base_url when set', () => {
    const request = buildDataManagerRequest([hashedPurchase()], { ...settings, test: true, base_url: 'http://127.0.0.1:4010/' }, ctx);
    expect(request.url).toBe('http://127.0.0.1:4010/v1/events:ingest');
    expect(request.body).toMatchObject({ validateOnly: true, encoding: 'HEX' });
    expect(request.headers).toEqual({ Authorization: 'Bearer ya29.test-token', 'Content-Type': 'application/json' });
    expect(rfc3339(1764326400)).toBe('2025-11-28T10:40:00Z');
  });

  it('asks for the status of an accepted request with a GET', () => {
    const check = buildRequestStatusCheck('abc/1', settings, ctx);
    expect(check).toEqual({ method: 'GET', url: 'https://datamanager.googleapis.com/v1/requestStatus:retrieve?requestId=abc%2F1', headers: { Authorization: 'Bearer ya29.test-token' }, body: undefined });
  });

  it('hashes the gmail address without dots and +suffix, unlike the other platforms', () => {
    const event = canonical({ email: 'Jane.Doe+shop@GMail.com' });
    const body = JSON.stringify(google.buildRequest([event], settings, ctx).body);
    expect(body).toContain(hash('sha256', 'janedoe@gmail.com'));
    expect(event.user.em).toEqual([hash('sha256', 'jane.doe+shop@gmail.com')]);
  });
});
