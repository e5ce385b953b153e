import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { hashedPageView, hashedPurchase, JANE } from '../../../test/fixtures/platforms/hashed-events.js';
import { buildPinterestRequest, decimalString, pinterestEventName, pinterestSkipReason, type PinterestEvent } from './payload.js';
import { pinterestSettingsSchema } from './settings.js';

const settings = pinterestSettingsSchema.parse({ id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'pina_x' });
const dataOf = (events = [hashedPurchase()], s = settings) => (buildPinterestRequest(events, s).body as { data: PinterestEvent[] }).data;

describe('buildPinterestRequest', () => {
  it('builds the golden purchase request', () => {
    expectGolden(new URL('./golden/purchase.json', import.meta.url), buildPinterestRequest([hashedPurchase()], settings));
  });

  it('posts to the ad account, with ?test=true in test mode, on the configured host', () => {
    const req = buildPinterestRequest([hashedPurchase()], settings);
    expect(req.url).toBe('https://api.pinterest.com/v5/ad_accounts/549755885175/events');
    expect(req.headers.authorization).toBe('Bearer pina_x');
    const test = pinterestSettingsSchema.parse({ ...settings, test: true, base_url: 'http://127.0.0.1:9300' });
    expect(buildPinterestRequest([hashedPurchase()], test).url).toBe('http://127.0.0.1:9300/v5/ad_accounts/549755885175/events?test=true');
  });

  it('keeps order and count for a full batch', () => {
    const data = dataOf(Array.from({ length: 1000 }, (_, i) => hashedPageView(i)));
    expect(data).toHaveLength(1000);
    expect(data[0]?.event_id).toBe('pv_0');
    expect(data[999]?.event_id).toBe('pv_999');
    expect(data[999]?.event_name).toBe('page_visit');
  });

  it('sends every hashed key as an array and money as strings', () => {
    const [sent] = dataOf();
    for (const key of ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country', 'external_id'] as const) {
      expect(Array.isArray(sent?.user_data[key]), key).toBe(true);
    }
    expect(sent?.custom_data?.value).toBe('59.9');
    expect(sent?.custom_data?.contents?.[0]?.item_price).toBe('29.95');
    const yen = dataOf([hashedPurchase({ commerce: { value: 5400, currency: 'JPY' } })])[0];
    expect(yen?.custom_data).toEqual({ currency: 'JPY', value: '5400' });
  });

  it('uses the Pinterest gender variant (it knows n)', () => {
    const [sent] = dataOf([hashedPurchase({ user: { ...JANE, ge: undefined, ge_pinterest: 'c'.repeat(64) } })]);
    expect(sent?.user_data.ge).toEqual(['c'.repeat(64)]);
  });

  it('maps limited data use to opt_out_type LDP, even without commerce', () => {
    const ldp = { marketing: true, limited_data_use: true };
    expect(dataOf([hashedPurchase({ consent: ldp })])[0]?.custom_data?.opt_out_type).toBe('LDP');
    expect(dataOf([hashedPageView(1, { consent: ldp })])[0]?.custom_data).toEqual({ opt_out_type: 'LDP' });
    expect(dataOf([hashedPageView(1)])[0]).not.toHaveProperty('custom_data');
  });

  it('maps action sources: website → web, offline sources → offline', () => {
    expect(dataOf()[0]?.action_source).toBe('web');
    expect(dataOf([hashedPurchase({ action_source: 'physical_store' })])[0]?.action_source).toBe('offline');
    expect(dataOf([hashedPurchase({ action_source: 'phone_call' })])[0]?.action_source).toBe('offline');
  });

  it('sends custom and unmapped names as custom', () => {
    expect(dataOf([hashedPurchase({ event_name: 'quiz_completed' })])[0]?.event_name).toBe('custom');
    expect(pinterestEventName('start_trial')).toBe('custom');
    expect(pinterestEventName('purchase')).toBe('checkout');
    expect(pinterestEventName('complete_registration')).toBe('signup');
    expect(pinterestEventName('hasOwnProperty')).toBe('custom');
  });

  it('sends the epik click id as click_id', () => {
    expect(dataOf()[0]?.user_data.click_id).toBe(JANE.epik);
  });
});

describe('pinterestSkipReason', () => {
  it('needs an email, or an IP together with a user agent', () => {
    expect(pinterestSkipReason(hashedPurchase())).toBeNull();
    expect(pinterestSkipReason(hashedPurchase({ user: { em: ['a'.repeat(64)] } }))).toBeNull();
    expect(pinterestSkipReason(hashedPurchase({ user: { client_ip_address: '203.0.113.7', client_user_agent: 'UA' } }))).toBeNull();
    expect(pinterestSkipReason(hashedPurchase({ user: { client_ip_address: '203.0.113.7', ph: ['a'.repeat(64)] } }))).toBe('no_match_key');
    expect(pinterestSkipReason(hashedPurchase({ user: { em: [] } }))).toBe('no_match_key');
  });

  it('skips app events (Pinterest wants the OS and device fields)', () => {
    expect(pinterestSkipReason(hashedPurchase({ action_source: 'app' }))).toBe('app_event_unsupported');
  });
});

describe('decimalString (Pinterest money)', () => {
  it('never writes exponent notation, and keeps the digits it was given', () => {
    expect(decimalString(72.39)).toBe('72.39');
    expect(decimalString(1500)).toBe('1500');
    expect(decimalString(1e-7)).toBe('0.0000001');
    expect(decimalString(1.5e-7)).toBe('0.00000015');
    expect(decimalString(-2.5e-8)).toBe('-0.000000025');
    expect(decimalString(1e21)).toBe('1000000000000000000000');
    expect(decimalString(5e-324)).toBe('0');
    expect(decimalString(0.000001)).toBe('0.000001');
  });
});
