import { describe, expect, it } from 'vitest';
import { hashOnce } from '../../identity/hash-once.js';
import { parseCanonicalEvent } from '../../event/parse.js';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { hashedPageView, hashedPurchase, JANE } from '../../../test/fixtures/platforms/hashed-events.js';
import { loadRequestContract } from '../contract/request-contract.js';
import { buildSnapchatRequest, snapchatEventName, snapchatSkipReason } from './payload.js';
import { snapchatSettingsSchema } from './settings.js';

const settings = snapchatSettingsSchema.parse({ id: 'snapchat', platform: 'snapchat', pixel_id: 'b3b2f3c6-9a1e-4d6f', access_token: 'snap-token' });
const contract = loadRequestContract(new URL('./contract/events.schema.json', import.meta.url));

function hashedUserOf(user: Record<string, unknown>) {
  return hashOnce(parseCanonicalEvent({ event_name: 'purchase', event_time: 1764326400, event_id: 'x', action_source: 'website', user }), { includeContact: false }).user;
}

describe('snapchat builder', () => {
  it('hashes email and phone as Snap documents them (Parameters page examples)', () => {
    // "Input: Person@Example.com … Hashed Output: 542d2401…3345"
    const user = hashedUserOf({ email: 'Person@Example.com', phone: '+44 844 412 4653' });
    expect(user.em).toEqual(['542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345']);
    // "Input: +44 844 412 4653 Normalized format: 448444124653 Hashed Output: dc008fda46e2e64002cf2f82a4906236282d4…"
    expect(user.ph?.[0]).toMatch(/^dc008fda46e2e64002cf2f82a4906236282d4/);
    const body = buildSnapchatRequest([{ ...hashedPurchase(), user }], settings).body as { data: [{ user_data: { em: string[]; ph: string[] } }] };
    expect(body.data[0].user_data.em).toEqual(user.em);
    expect(body.data[0].user_data.ph).toEqual(user.ph);
  });

  it('builds the golden purchase, within the contract', () => {
    const request = buildSnapchatRequest([hashedPurchase()], settings);
    expect(request.url).toBe('https://tr.snapchat.com/v3/b3b2f3c6-9a1e-4d6f/events?access_token=snap-token');
    expect(contract.check(request.body)).toEqual([]);
    expectGolden(new URL('./golden/purchase.json', import.meta.url), request);
  });

  it('sends the click id and cookie as sc_click_id and sc_cookie1', () => {
    const body = buildSnapchatRequest([hashedPurchase()], settings).body as { data: [{ user_data: Record<string, unknown> }] };
    expect(body.data[0].user_data.sc_click_id).toBe(JANE.sccid);
    expect(body.data[0].user_data.sc_cookie1).toBe(JANE.scid);
  });

  it('uses the validate endpoint in test mode and base_url for the host', () => {
    const test = snapchatSettingsSchema.parse({ ...settings, test: true, base_url: 'http://127.0.0.1:9' });
    expect(buildSnapchatRequest([hashedPageView(1)], test).url).toBe('http://127.0.0.1:9/v3/b3b2f3c6-9a1e-4d6f/events/validate?access_token=snap-token');
  });

  it('maps names to Snap enum values, and has no name for lead or custom events', () => {
    expect(snapchatEventName('purchase')).toBe('PURCHASE');
    expect(snapchatEventName('add_to_cart')).toBe('ADD_CART');
    expect(snapchatEventName('lead')).toBeNull();
    expect(snapchatEventName('loyalty_signup')).toBeNull();
  });

  it('skips app events, limited-data-use events and events without a match key', () => {
    expect(snapchatSkipReason(hashedPurchase({ action_source: 'app' }))).toBe('app_event_unsupported');
    expect(snapchatSkipReason(hashedPurchase({ consent: { marketing: true, limited_data_use: true } }))).toBe('limited_data_use_unsupported');
    expect(snapchatSkipReason(hashedPurchase({ user: { client_ip_address: '203.0.113.7' } }))).toBe('no_match_key');
    expect(snapchatSkipReason(hashedPurchase({ user: { sccid: 'abc' } }))).toBeNull();
  });
});
