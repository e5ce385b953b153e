import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { hashedPageView, hashedPurchase, JANE } from '../../../test/fixtures/platforms/hashed-events.js';
import { buildMetaRequest, metaEventName, metaSkipReason, type MetaRequestBody } from './payload.js';
import { metaSettingsSchema } from './settings.js';

const settings = metaSettingsSchema.parse({ id: 'meta', platform: 'meta', pixel_id: '123456789', access_token: 'EAAB-token' });
const bodyOf = (events = [hashedPurchase()], s = settings) => buildMetaRequest(events, s).body as MetaRequestBody;

describe('buildMetaRequest', () => {
  it('builds the golden purchase request', () => {
    expectGolden(new URL('./golden/purchase.json', import.meta.url), buildMetaRequest([hashedPurchase()], settings));
  });

  it('posts to the pinned Graph version, or the configured one, on the configured host', () => {
    expect(buildMetaRequest([hashedPurchase()], settings).url).toBe('https://graph.facebook.com/v26.0/123456789/events');
    const custom = metaSettingsSchema.parse({ ...settings, api_version: 'v27.0', base_url: 'http://127.0.0.1:9100/' });
    expect(buildMetaRequest([hashedPurchase()], custom).url).toBe('http://127.0.0.1:9100/v27.0/123456789/events');
  });

  it('keeps order and count for a full batch', () => {
    const events = Array.from({ length: 1000 }, (_, i) => hashedPageView(i));
    const body = bodyOf(events);
    expect(body.data).toHaveLength(1000);
    expect(body.data[0]?.event_id).toBe('pv_0');
    expect(body.data[999]?.event_id).toBe('pv_999');
    expect(body.data[999]?.event_name).toBe('PageView');
  });

  it('sends test_event_code only in test mode', () => {
    expect(bodyOf().test_event_code).toBeUndefined();
    const test = metaSettingsSchema.parse({ ...settings, test_event_code: 'TEST123' });
    expect(bodyOf(undefined, test).test_event_code).toBe('TEST123');
    const off = metaSettingsSchema.parse({ ...settings, test_event_code: 'TEST123', test: false });
    expect(bodyOf(undefined, off).test_event_code).toBeUndefined();
  });

  it('signs with appsecret_proof when an app secret is configured', () => {
    const signed = metaSettingsSchema.parse({ ...settings, app_secret: 'shh' });
    const expected = createHmac('sha256', 'shh').update('EAAB-token').digest('hex');
    expect(bodyOf(undefined, signed).appsecret_proof).toBe(expected);
    expect(bodyOf().appsecret_proof).toBeUndefined();
  });

  it('maps limited data use to LDU with geolocation', () => {
    const ldu = bodyOf([hashedPurchase({ consent: { marketing: true, limited_data_use: true } })]).data[0];
    expect(ldu?.data_processing_options).toEqual(['LDU']);
    expect(ldu?.data_processing_options_country).toBe(0);
    expect(ldu?.data_processing_options_state).toBe(0);
    expect(bodyOf().data[0]).not.toHaveProperty('data_processing_options');
  });

  it('sends custom event names as they are, with their custom properties', () => {
    const event = hashedPurchase({ event_name: 'quiz_completed', commerce: undefined, custom_data: { score: 7, value: 'ignored?' } });
    const sent = bodyOf([event]).data[0];
    expect(sent?.event_name).toBe('quiz_completed');
    expect(sent?.custom_data).toEqual({ score: 7, value: 'ignored?' });
  });

  it('never lets custom properties override the commerce fields', () => {
    const sent = bodyOf([hashedPurchase({ custom_data: { value: 1, coupon: 'X' } })]).data[0];
    expect(sent?.custom_data?.value).toBe(59.9);
    expect(sent?.custom_data?.coupon).toBe('X');
  });

  it('uses the Meta name variant, not the trim+lowercase one', () => {
    const user = { ...JANE, fn: 'a'.repeat(64), fn_meta: 'b'.repeat(64) };
    expect(bodyOf([hashedPurchase({ user })]).data[0]?.user_data.fn).toBe('b'.repeat(64));
  });

  it('omits empty keys instead of sending them empty', () => {
    const sent = bodyOf([hashedPurchase({ user: { em: [], client_user_agent: 'UA' }, commerce: {} })]).data[0];
    expect(sent?.user_data).toEqual({ client_user_agent: 'UA' });
    expect(sent).not.toHaveProperty('custom_data');
  });

  it('counts items without a quantity once', () => {
    const sent = bodyOf([hashedPurchase({ commerce: { items: [{ id: 'A' }, { id: 'B', quantity: 3 }] } })]).data[0];
    expect(sent?.custom_data).toEqual({
      content_ids: ['A', 'B'],
      contents: [{ id: 'A', quantity: 1 }, { id: 'B', quantity: 3 }],
      content_type: 'product',
      num_items: 4,
    });
  });
});

describe('website events without user agent or URL', () => {
  const noUa = hashedPurchase({ user: { ...JANE, client_user_agent: undefined } });
  const noUrl = hashedPurchase({ event_source_url: undefined });

  it('are sent as action_source "other" by default', () => {
    expect(bodyOf([noUa]).data[0]?.action_source).toBe('other');
    expect(bodyOf([noUrl]).data[0]?.action_source).toBe('other');
    expect(bodyOf().data[0]?.action_source).toBe('website');
    expect(metaSkipReason(noUa, settings)).toBeNull();
  });

  it('are skipped when configured so', () => {
    const skip = metaSettingsSchema.parse({ ...settings, incomplete_website_events: 'skip' });
    expect(metaSkipReason(noUa, skip)).toBe('incomplete_website_event');
    expect(metaSkipReason(hashedPurchase(), skip)).toBeNull();
  });

  it('are sent as website when configured so', () => {
    const send = metaSettingsSchema.parse({ ...settings, incomplete_website_events: 'send' });
    expect(bodyOf([noUa], send).data[0]?.action_source).toBe('website');
  });

  it('never touch events from other sources', () => {
    const store = hashedPurchase({ action_source: 'physical_store', event_source_url: undefined, user: { em: JANE.em } });
    expect(bodyOf([store]).data[0]?.action_source).toBe('physical_store');
  });
});

describe('metaSkipReason / metaEventName', () => {
  it('skips an event with no customer information at all', () => {
    expect(metaSkipReason(hashedPurchase({ user: {} }), settings)).toBe('no_match_key');
    expect(metaSkipReason(hashedPurchase({ user: { fbp: 'fb.1.1.1' } }), settings)).toBeNull();
  });

  it('maps every standard name and passes custom ones through', () => {
    expect(metaEventName('purchase')).toBe('Purchase');
    expect(metaEventName('page_view')).toBe('PageView');
    expect(metaEventName('start_trial')).toBe('StartTrial');
    expect(metaEventName('toString')).toBe('toString');
    expect(metaEventName('Purchase')).toBe('Purchase');
  });
});

describe('partner_agent', () => {
  it('names Matchkey and the version from package.json on every request, so Meta can filter its events', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    const body = buildMetaRequest([hashedPurchase()], metaSettingsSchema.parse({ id: 'm', platform: 'meta', pixel_id: '1', access_token: 't' })).body as { partner_agent: string };
    expect(body.partner_agent).toBe(`matchkey-${version}`);
  });
});
