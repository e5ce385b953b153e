import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewEvents } from '../../src/cli/commands/preview.js';
import type { RequestContract } from '../../src/platforms/contract/request-contract.js';
import { klaviyoCreateEventContract } from '../../src/platforms/klaviyo/contract.js';
import { klaviyo } from '../../src/platforms/klaviyo/index.js';
import { metaEventsContract } from '../../src/platforms/meta/contract.js';
import { meta } from '../../src/platforms/meta/index.js';
import { pinterestEventsContract } from '../../src/platforms/pinterest/contract.js';
import { pinterest } from '../../src/platforms/pinterest/index.js';
import { tiktokEventTrackContract } from '../../src/platforms/tiktok/contract.js';
import { tiktok } from '../../src/platforms/tiktok/index.js';
import type { CommonSettings, Platform } from '../../src/platforms/types.js';
import { startSimClient, type SimClient } from '../../src/simulators/test-support.js';
import { hashedEventArb } from '../fixtures/platforms/arbitraries.js';

// Every request Matchkey builds for Meta, TikTok, Pinterest and Klaviyo holds against that platform's published
// request contract (src/platforms/<p>/contract/*.schema.json): the golden bodies, what `matchkey preview` prints for
// a set of realistic events, and any event the identity pass can hand over (property test). A builder that drifts
// from the contract — a renamed key, a number where a string belongs, a field the platform does not know — fails here.

interface Case {
  platform: Platform<any>;
  contract: RequestContract;
  golden: URL;
}

const CASES: Case[] = [
  { platform: meta, contract: metaEventsContract, golden: new URL('../../src/platforms/meta/golden/purchase.json', import.meta.url) },
  { platform: tiktok, contract: tiktokEventTrackContract, golden: new URL('../../src/platforms/tiktok/golden/purchase.json', import.meta.url) },
  { platform: pinterest, contract: pinterestEventsContract, golden: new URL('../../src/platforms/pinterest/golden/purchase.json', import.meta.url) },
  { platform: klaviyo, contract: klaviyoCreateEventContract, golden: new URL('../../src/platforms/klaviyo/testdata/purchase.golden.json', import.meta.url) },
];

const readJson = (url: URL): any => JSON.parse(readFileSync(url, 'utf8'));
const NOW = Math.floor(Date.now() / 1000);

/** Realistic inputs of every shape the gateway takes: the canonical purchase, a search, a cart add, a page view, a lead, a store sale. */
function sampleEvents(): Record<string, unknown>[] {
  const purchase = { ...readJson(new URL('../fixtures/platforms/canonical-purchase.json', import.meta.url)), event_time: NOW - 60 };
  const user = { email: 'jane@example.com', phone: '+1 650 555 1212', client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0', city: 'Mumbai', state: 'Maharashtra', country: 'IN', zip: '400001' };
  return [
    purchase,
    { event_id: 's1', event_name: 'search', event_time: NOW - 50, action_source: 'website', event_source_url: 'https://shop.example/search?q=mug', user, commerce: { search_string: 'blue mug' } },
    { event_id: 'c1', event_name: 'add_to_cart', event_time: NOW - 40, action_source: 'website', event_source_url: 'https://shop.example/p/mug', user, commerce: { value: 0.0000001, currency: 'EUR', items: [{ id: 'SKU-1', price: 1e-7, quantity: 1 }] } },
    { event_id: 'p1', event_name: 'page_view', event_time: NOW - 30, action_source: 'website', event_source_url: 'https://shop.example/', user },
    { event_id: 'l1', event_name: 'lead', event_time: NOW - 20, action_source: 'website', event_source_url: 'https://shop.example/contact', user: { ...user, external_id: 'cust_1' }, custom_data: { form: 'newsletter' } },
    { event_id: 'o1', event_name: 'purchase', event_time: NOW - 10, action_source: 'physical_store', user, commerce: { order_id: 'POS-1', value: 1234567.5, currency: 'JPY' }, consent: { marketing: true, limited_data_use: true } },
  ];
}

describe.each(CASES)('$platform.name request contract', ({ platform, contract, golden }) => {
  it('holds for the golden request body', () => {
    expect(contract.check(readJson(golden).body)).toEqual([]);
  });

  it('holds for every request `matchkey preview` prints for realistic events', () => {
    const inputs = sampleEvents().map((raw, i) => ({ raw, prefix: [], source: `sample ${i}` }));
    const result = previewEvents(inputs, { platform: platform as Platform<CommonSettings>, settings: platform.placeholderSettings, identity: {}, nowSec: NOW });
    expect(result.requests.length).toBeGreaterThan(0);
    for (const request of result.requests) expect(contract.check(request.body)).toEqual([]);
  });

  it('holds for any event the identity pass can hand over (property)', () => {
    const settings = platform.placeholderSettings;
    fc.assert(
      fc.property(hashedEventArb, (event) => {
        const withContact = { ...event, contact: { email: 'jane@example.com' } };
        if (platform.skipReason(withContact, settings) !== null) return;
        const request = platform.buildRequest([withContact], settings, { now: NOW });
        expect(contract.check(request.body)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the simulators refuse what breaks the contract, in each platform’s own error shape', () => {
  let c: SimClient;
  beforeAll(async () => {
    c = await startSimClient();
  });
  afterAll(async () => {
    await c.close();
  });

  /** The golden body with today's time (the simulators refuse week-old events) and one field the platform does not know. */
  function goldenWith(golden: URL, mutate: (body: any) => void): any {
    const body = readJson(golden).body;
    for (const e of Array.isArray(body.data) ? body.data : []) e.event_time = NOW - 30;
    if (body.data?.attributes?.time) body.data.attributes.time = new Date((NOW - 30) * 1000).toISOString();
    mutate(body);
    return body;
  }

  it('meta: the golden body goes through; an unknown user_data key is a (#100) Unexpected key error', async () => {
    const golden = CASES[0]!.golden;
    expect((await c.post('/v26.0/123/events', goldenWith(golden, () => {}))).status).toBe(200);
    const res = await c.post('/v26.0/123/events', goldenWith(golden, (b) => (b.data[0].user_data.email_plain = 'x')));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 100, type: 'OAuthException', message: `(#100) Unexpected key "email_plain" on param "$['data'][0]['user_data']".` });
  });

  it('tiktok: an unknown event field is HTTP 200 with code 40002 naming its path', async () => {
    const golden = CASES[1]!.golden;
    const headers = { 'Access-Token': 'tt-token' };
    expect((await c.post('/open_api/v1.3/event/track/', goldenWith(golden, () => {}), headers)).json.code).toBe(0);
    const res = await c.post('/open_api/v1.3/event/track/', goldenWith(golden, (b) => (b.data[0].pixel_code = 'C1')), headers);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ code: 40002, message: 'data.0.pixel_code: Unknown field.' });
  });

  it('pinterest: an unknown custom_data field is a 400 {code, message}', async () => {
    const golden = CASES[2]!.golden;
    const headers = { Authorization: 'Bearer pin-token' };
    expect((await c.post('/v5/ad_accounts/549755885175/events', goldenWith(golden, () => {}), headers)).status).toBe(200);
    const res = await c.post('/v5/ad_accounts/549755885175/events', goldenWith(golden, (b) => (b.data[0].custom_data.value_cents = '5990')), headers);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: 4196, message: 'Invalid request body: data.0.custom_data.value_cents is not a valid field.' });
  });

  it('klaviyo: an unknown profile attribute is a JSON:API 400 pointing at it', async () => {
    const golden = CASES[3]!.golden;
    const headers = { Authorization: 'Klaviyo-API-Key pk_test', revision: '2025-10-15', 'content-type': 'application/vnd.api+json' };
    expect((await c.request('POST', '/api/events', { body: goldenWith(golden, () => {}), headers })).status).toBe(202);
    const res = await c.request('POST', '/api/events', { body: goldenWith(golden, (b) => (b.data.attributes.profile.data.attributes.zip = '94025')), headers });
    expect(res.status).toBe(400);
    expect(res.json.errors[0]).toMatchObject({ status: 400, code: 'invalid', source: { pointer: '/data/attributes/profile/data/attributes/zip' } });
  });
});
