import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { hashedPageView, hashedPurchase, JANE } from '../../../test/fixtures/platforms/hashed-events.js';
import { loadRequestContract } from '../contract/request-contract.js';
import { buildGa4Request, ga4ClientId, ga4SkipReason, GA4_STAND_IN_PREFIX, type Ga4RequestBody } from './payload.js';
import { ga4SettingsSchema } from './settings.js';

const settings = ga4SettingsSchema.parse({ id: 'ga4', platform: 'ga4', measurement_id: 'G-ABC123XYZ9', api_secret: 'sEcReT_value-1' });
const contract = loadRequestContract(new URL('./contract/mp-collect.schema.json', import.meta.url));
const GA_USER = { ...JANE, ga_client_id: '1162820436.1764326000', ga_session_id: '1764326000' };
const bodyOf = (event = hashedPurchase({ user: GA_USER }), s = settings) => buildGa4Request([event], s).body as Ga4RequestBody;

describe('buildGa4Request', () => {
  it('builds the golden purchase request, which conforms to the mp-collect contract', () => {
    const request = buildGa4Request([hashedPurchase({ user: GA_USER })], settings);
    expectGolden(new URL('./golden/purchase.json', import.meta.url), request);
    expect(contract.check(request.body)).toEqual([]);
  });

  it('posts to /mp/collect with measurement_id and api_secret in the query; test mode goes to the validation server', () => {
    expect(buildGa4Request([hashedPurchase()], settings).url).toBe('https://www.google-analytics.com/mp/collect?measurement_id=G-ABC123XYZ9&api_secret=sEcReT_value-1');
    const eu = ga4SettingsSchema.parse({ ...settings, region: 'eu' });
    expect(buildGa4Request([hashedPurchase()], eu).url).toMatch(/^https:\/\/region1\.google-analytics\.com\/mp\/collect\?/);
    const test = ga4SettingsSchema.parse({ ...settings, test: true, base_url: 'http://127.0.0.1:9300' });
    const req = buildGa4Request([hashedPurchase()], test);
    expect(req.url).toBe('http://127.0.0.1:9300/debug/mp/collect?measurement_id=G-ABC123XYZ9&api_secret=sEcReT_value-1');
    expect((req.body as Ga4RequestBody).validation_behavior).toBe('ENFORCE_RECOMMENDATIONS');
  });

  it('uses GA4 event names and parameters', () => {
    expect(bodyOf(hashedPurchase({ event_name: 'initiate_checkout', user: GA_USER })).events[0]?.name).toBe('begin_checkout');
    expect(bodyOf(hashedPurchase({ event_name: 'view_content', user: GA_USER })).events[0]?.name).toBe('view_item');
    const search = bodyOf(hashedPurchase({ event_name: 'search', user: GA_USER, commerce: { search_string: 'red mug' } })).events[0]!;
    expect(search).toMatchObject({ name: 'search', params: { search_term: 'red mug' } });
    const page = bodyOf(hashedPageView(1, { user: GA_USER })).events[0]!;
    expect(page.name).toBe('page_view');
    expect(page.params.page_location).toBeDefined();
    const refund = bodyOf(hashedPurchase({ event_name: 'refund', event_id: 'refund_7', action_source: 'system_generated', user: {}, event_source_url: undefined, referrer_url: undefined, commerce: { order_id: '1001', value: 30.55, currency: 'USD' } }));
    expect(refund.events[0]).toEqual({ name: 'refund', params: { transaction_id: '1001', value: 30.55, currency: 'USD' } });
  });

  it('maps consent: ad_user_data granted (only consented events are sent), personalization denied under limited data use', () => {
    expect(bodyOf().consent).toEqual({ ad_user_data: 'GRANTED', ad_personalization: 'GRANTED' });
    expect(bodyOf(hashedPurchase({ user: GA_USER, consent: { marketing: true, limited_data_use: true } })).consent).toEqual({ ad_user_data: 'GRANTED', ad_personalization: 'DENIED' });
  });

  it('sends a marked stand-in client id without the _ga cookie, stable per customer', () => {
    const a = ga4ClientId(hashedPurchase());
    expect(a.standIn).toBe(true);
    expect(a.id.startsWith(GA4_STAND_IN_PREFIX)).toBe(true);
    expect(ga4ClientId(hashedPurchase({ event_id: 'order_2' })).id.split('.')[1]).toBe(a.id.split('.')[1]);
    expect(ga4ClientId(hashedPurchase({ user: GA_USER }))).toEqual({ id: '1162820436.1764326000', standIn: false });
    expect(bodyOf(hashedPurchase({ user: { ...GA_USER, ga_session_id: undefined } })).events[0]?.params).not.toHaveProperty('session_id');
  });

  it('keeps every limit: 25 parameters, 100-character values, 200 items, valid custom names only', () => {
    const custom_data: Record<string, unknown> = { _private: 1, 'bad-name': 2, nested: { a: 1 }, long: 'x'.repeat(150), value: 1e9 };
    for (let i = 0; i < 40; i++) custom_data[`p${i}`] = i;
    const items = Array.from({ length: 250 }, (_, i) => ({ id: `SKU-${i}`, name: 'n'.repeat(120), quantity: 1, price: 1 }));
    const body = bodyOf(hashedPurchase({ user: GA_USER, custom_data, commerce: { value: 5, currency: 'USD', order_id: '1', items } }));
    const params = body.events[0]!.params;
    expect(Object.keys(params)).toHaveLength(25);
    expect(params.value).toBe(5);
    expect(params).not.toHaveProperty('_private');
    expect(params).not.toHaveProperty('bad-name');
    expect(params).not.toHaveProperty('nested');
    expect(params.long).toHaveLength(100);
    expect(params.items).toHaveLength(200);
    expect(contract.check(body)).toEqual([]);
  });

  it('skips app events and events GA4 has no name for', () => {
    expect(ga4SkipReason(hashedPurchase({ action_source: 'app' }))).toBe('app_event_needs_app_stream');
    expect(ga4SkipReason(hashedPurchase({ event_name: 'subscribe' }))).toBe('no_ga4_event_name');
    expect(ga4SkipReason(hashedPurchase({ event_name: 'session_start' }))).toBe('no_ga4_event_name');
    expect(ga4SkipReason(hashedPurchase({ event_name: 'quiz_completed' }))).toBeNull();
    expect(ga4SkipReason(hashedPurchase())).toBeNull();
  });
});
