import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { hashedPageView, hashedPurchase, JANE } from '../../../test/fixtures/platforms/hashed-events.js';
import { buildTikTokRequest, tiktokEventName, tiktokSkipReason, type TikTokRequestBody } from './payload.js';
import { tiktokSettingsSchema } from './settings.js';

const settings = tiktokSettingsSchema.parse({ id: 'tiktok', platform: 'tiktok', pixel_code: 'C4ABC123', access_token: 'tt-token' });
const bodyOf = (events = [hashedPurchase()], s = settings) => buildTikTokRequest(events, s).body as TikTokRequestBody;

describe('buildTikTokRequest', () => {
  it('builds the golden purchase request', () => {
    expectGolden(new URL('./golden/purchase.json', import.meta.url), buildTikTokRequest([hashedPurchase()], settings));
  });

  it('posts to event/track/ (trailing slash kept) on the configured host, token in Access-Token', () => {
    const req = buildTikTokRequest([hashedPurchase()], settings);
    expect(req.url).toBe('https://business-api.tiktok.com/open_api/v1.3/event/track/');
    expect(req.headers['access-token']).toBe('tt-token');
    const local = tiktokSettingsSchema.parse({ ...settings, base_url: 'http://127.0.0.1:9200' });
    expect(buildTikTokRequest([hashedPurchase()], local).url).toBe('http://127.0.0.1:9200/open_api/v1.3/event/track/');
  });

  it('keeps order and count for a full batch', () => {
    const body = bodyOf(Array.from({ length: 1000 }, (_, i) => hashedPageView(i)));
    expect(body.data).toHaveLength(1000);
    expect(body.data[0]?.event_id).toBe('pv_0');
    expect(body.data[999]?.event_id).toBe('pv_999');
    expect(body.data[999]?.event).toBe('Pageview');
  });

  it('sends test_event_code only in test mode', () => {
    expect(bodyOf()).not.toHaveProperty('test_event_code');
    const test = tiktokSettingsSchema.parse({ ...settings, test_event_code: 'TEST42' });
    expect(bodyOf(undefined, test).test_event_code).toBe('TEST42');
  });

  it('maps limited data use per event', () => {
    expect(bodyOf([hashedPurchase({ consent: { marketing: true, limited_data_use: true } })]).data[0]?.limited_data_use).toBe(true);
    expect(bodyOf().data[0]?.limited_data_use).toBe(false);
  });

  it('sends custom event names as they are, with custom properties', () => {
    const sent = bodyOf([hashedPurchase({ event_name: 'quiz_completed', commerce: undefined, custom_data: { score: 7 } })]).data[0];
    expect(sent?.event).toBe('quiz_completed');
    expect(sent?.properties).toEqual({ score: 7 });
  });

  it('uses the E.164-with-plus phone variant and the search term as search_string (TikTok standard-events table)', () => {
    const user = { ph: ['a'.repeat(64)], ph_e164: ['b'.repeat(64)] };
    const sent = bodyOf([hashedPurchase({ user, commerce: { search_string: 'red mug' } })]).data[0];
    expect(sent?.user).toEqual({ phone: ['b'.repeat(64)] });
    expect(sent?.properties).toEqual({ search_string: 'red mug' });
  });

  it('omits empty keys and sends an empty user rather than nulls', () => {
    const sent = bodyOf([hashedPurchase({ user: { em: [], external_id: [] }, commerce: {}, event_source_url: undefined, referrer_url: undefined })]).data[0];
    expect(sent).toEqual({ event: 'Purchase', event_time: 1764326400, event_id: 'order_1001', user: {}, limited_data_use: false });
  });
});

describe('tiktokSkipReason / tiktokEventName', () => {
  it('sends only web events to the pixel', () => {
    expect(tiktokSkipReason(hashedPurchase())).toBeNull();
    expect(tiktokSkipReason(hashedPurchase({ action_source: 'physical_store' }))).toBe('not_a_web_event');
    expect(tiktokSkipReason(hashedPurchase({ action_source: 'app', user: JANE }))).toBe('not_a_web_event');
  });

  it('maps standard names and passes custom ones through', () => {
    expect(tiktokEventName('purchase')).toBe('Purchase');
    expect(tiktokEventName('page_view')).toBe('Pageview');
    expect(tiktokEventName('constructor')).toBe('constructor');
  });
});
