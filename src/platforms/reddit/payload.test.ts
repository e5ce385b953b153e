import { describe, expect, it } from 'vitest';
import { parseCanonicalEvent } from '../../event/parse.js';
import { hashOnce } from '../../identity/hash-once.js';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { hashedPageView, hashedPurchase, JANE, sha256 } from '../../../test/fixtures/platforms/hashed-events.js';
import { loadRequestContract } from '../contract/request-contract.js';
import { buildRedditRequest, redditEventName, redditSkipReason } from './payload.js';
import { redditSettingsSchema } from './settings.js';

const settings = redditSettingsSchema.parse({ id: 'reddit', platform: 'reddit', pixel_id: 'a2_abc123', access_token: 'rdt-token' });
const contract = loadRequestContract(new URL('./contract/conversion_events.schema.json', import.meta.url));
type Body = { data: { test_id?: string; events: Array<Record<string, any>> } };

describe('reddit builder', () => {
  it('hashes email as Reddit documents it (Manual Advanced Matching example)', () => {
    // "alice@example.com and Al.ice$+Apple@Example.Com should both hash to ff8d9819…d976"
    const documented = 'ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976';
    for (const email of ['alice@example.com', 'Al.ice$+Apple@Example.Com']) {
      const event = hashOnce(parseCanonicalEvent({ event_name: 'purchase', event_time: 1764326400, event_id: 'x', action_source: 'website', user: { email } }), { includeContact: false });
      expect(event.user.em_reddit).toEqual([documented]);
      expect((buildRedditRequest([event], settings).body as Body).data.events[0]!.user.email).toBe(documented);
    }
  });

  it('builds the golden purchase, within the contract', () => {
    const request = buildRedditRequest([hashedPurchase()], settings);
    expect(request.url).toBe('https://ads-api.reddit.com/api/v3/pixels/a2_abc123/conversion_events');
    expect(request.headers.authorization).toBe('Bearer rdt-token');
    expect(contract.check(request.body)).toEqual([]);
    expectGolden(new URL('./golden/purchase.json', import.meta.url), request);
  });

  it('sends the click id on the event, the _rdt_uuid cookie as user.uuid, time in ms, the E.164 phone', () => {
    const event = (buildRedditRequest([hashedPurchase()], settings).body as Body).data.events[0]!;
    expect(event.click_id).toBe(JANE.rdt_cid);
    expect(event.user.uuid).toBe(JANE.rdt_uuid);
    expect(event.event_at).toBe(1764326400000);
    expect(event.user.phone_number).toBe(sha256('+16505551212'));
    expect(event.metadata.conversion_id).toBe('order_1001');
  });

  it('sends unmapped names as CUSTOM with their own name, LDU as data_processing_options', () => {
    const events = [hashedPageView(1), hashedPurchase({ event_name: 'initiate_checkout', consent: { marketing: true, limited_data_use: true } })];
    const body = buildRedditRequest(events, settings).body as Body;
    expect(body.data.events[0]!.type).toEqual({ tracking_type: 'PAGE_VISIT' });
    expect(body.data.events[1]!.type).toEqual({ tracking_type: 'CUSTOM', custom_event_name: 'initiate_checkout' });
    expect(body.data.events[1]!.user.data_processing_options).toEqual({ modes: ['LDU'] });
    expect(redditEventName('loyalty_signup')).toBe('CUSTOM');
    expect(contract.check(body)).toEqual([]);
  });

  it('puts test_id in data in test mode, and test mode needs one', () => {
    const test = redditSettingsSchema.parse({ ...settings, test: true, test_id: 't2_test' });
    expect((buildRedditRequest([hashedPageView(1)], test).body as Body).data.test_id).toBe('t2_test');
    const missing = redditSettingsSchema.safeParse({ ...settings, test: true });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(['test_id']);
  });

  it('skips app events and events without a match key', () => {
    expect(redditSkipReason(hashedPurchase({ action_source: 'app' }))).toBe('app_event_unsupported');
    expect(redditSkipReason(hashedPurchase({ user: { client_ip_address: '203.0.113.7' } }))).toBe('no_match_key');
    expect(redditSkipReason(hashedPurchase({ user: { rdt_cid: 'abc' } }))).toBeNull();
  });
});
