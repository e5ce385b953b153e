import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGoogleRequest, clickConversion, googleDateTime } from './payload.js';
import { googleSettingsSchema, type GoogleSettings } from './settings.js';
import { hashedPurchase } from './testdata/hashed-purchase.js';

const golden = (name: string): unknown => JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));

const settings: GoogleSettings = googleSettingsSchema.parse({
  id: 'google',
  platform: 'google',
  customer_id: '123-456-7890',
  login_customer_id: '111-222-3333',
  api: 'google_ads',
  developer_token: 'dev-token',
  conversion_actions: { purchase: '987' },
  oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' },
  merchant_id: '5551234',
  feed_country_code: 'us',
  feed_language_code: 'EN',
});
const ctx = { now: 1764330000, accessToken: 'ya29.test-token' };

describe('googleDateTime', () => {
  it('formats unix seconds as "yyyy-mm-dd hh:mm:ss+00:00" in UTC', () => {
    expect(googleDateTime(1764326400)).toBe('2025-11-28 10:40:00+00:00');
    expect(googleDateTime(946684799)).toBe('1999-12-31 23:59:59+00:00');
  });
});

describe('buildGoogleRequest (click conversions)', () => {
  it('builds the golden request for a purchase', () => {
    expect(buildGoogleRequest([hashedPurchase()], settings, ctx)).toEqual(golden('purchase.click-conversions.golden.json'));
  });

  it('sends through validateOnly in test mode and to base_url when set', () => {
    const req = buildGoogleRequest([hashedPurchase()], { ...settings, test: true, base_url: 'http://127.0.0.1:4010/' }, ctx);
    expect(req.url).toBe('http://127.0.0.1:4010/v26/customers/1234567890:uploadClickConversions');
    expect(req.body).toMatchObject({ partialFailure: true, validateOnly: true });
  });

  it('uses the static access token when no OAuth token is in the context, and needs one of them', () => {
    const staticToken = { ...settings, oauth: undefined, access_token: 'static-token' };
    expect(buildGoogleRequest([hashedPurchase()], staticToken, { now: 0 }).headers.Authorization).toBe('Bearer static-token');
    expect(() => buildGoogleRequest([hashedPurchase()], { ...settings }, { now: 0 })).toThrow(/access token/);
  });

  it('leaves out login-customer-id and cart feed fields that are not configured', () => {
    const plain = { ...settings, login_customer_id: undefined, merchant_id: undefined, feed_country_code: undefined, feed_language_code: undefined };
    const req = buildGoogleRequest([hashedPurchase()], plain, ctx);
    expect(req.headers).not.toHaveProperty('login-customer-id');
    expect(clickConversion(hashedPurchase(), plain).cartData).toEqual({ items: [{ productId: 'SKU-1', quantity: 2, unitPrice: 29.95 }] });
  });

  it('sends a gbraid/wbraid conversion without user identifiers and never both braids', () => {
    const event = hashedPurchase();
    const braid = clickConversion({ ...event, user: { ...event.user, gclid: undefined, gbraid: 'GB', wbraid: 'WB' } }, settings);
    expect(braid).toMatchObject({ gbraid: 'GB' });
    expect(braid).not.toHaveProperty('wbraid');
    expect(braid).not.toHaveProperty('gclid');
    expect(braid).not.toHaveProperty('userIdentifiers');
  });

  it('sends identifiers alone when there is no click id (enhanced conversions for leads)', () => {
    const event = hashedPurchase();
    const conv = clickConversion({ ...event, user: { ...event.user, gclid: undefined } }, settings);
    expect(conv).not.toHaveProperty('gclid');
    expect(conv.userIdentifiers).toHaveLength(2);
  });

  it('sends adUserData consent only (no adPersonalization on conversions) and leaves out absent commerce fields', () => {
    const conv = clickConversion(hashedPurchase({ consent: { marketing: true, limited_data_use: true }, commerce: undefined }), settings);
    expect(conv.consent).toEqual({ adUserData: 'GRANTED' });
    expect(Object.keys(conv)).toEqual(['conversionAction', 'conversionDateTime', 'gclid', 'userIdentifiers', 'consent']);
  });

  it('builds one conversion per event in order', () => {
    const events = [hashedPurchase(), hashedPurchase({ event_id: 'order_1002', commerce: { order_id: '1002', value: 5 } })];
    const body = buildGoogleRequest(events, settings, ctx).body as { conversions: { orderId: string }[] };
    expect(body.conversions.map((c) => c.orderId)).toEqual(['1001', '1002']);
  });
});

describe('buildGoogleRequest (enhanced conversions for web adjustments)', () => {
  const adjustments = { ...settings, mode: 'adjustments' as const };

  it('builds the golden ENHANCEMENT request, with the address identifier and the geography unhashed', () => {
    expect(buildGoogleRequest([hashedPurchase()], adjustments, ctx)).toEqual(golden('purchase.adjustments.golden.json'));
  });

  it('keeps at most 5 identifiers, the address taking one slot', () => {
    const event = hashedPurchase();
    const many = { ...event, user: { ...event.user, em_google: ['e1', 'e2', 'e3'], ph_e164: ['p1', 'p2', 'p3'] } };
    const adj = buildGoogleRequest([many], adjustments, ctx).body as { conversionAdjustments: { userIdentifiers: object[] }[] };
    const ids = adj.conversionAdjustments[0]!.userIdentifiers;
    expect(ids).toHaveLength(5);
    expect(ids[4]).toHaveProperty('addressInfo');
  });
});
