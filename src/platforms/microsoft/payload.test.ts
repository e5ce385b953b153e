import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/fixtures/platforms/golden.js';
import { hashedPageView, hashedPurchase, JANE, sha256 } from '../../../test/fixtures/platforms/hashed-events.js';
import { loadRequestContract } from '../contract/request-contract.js';
import { buildMicrosoftRequest, microsoftEventName, microsoftSkipReason } from './payload.js';
import { microsoftSettingsSchema } from './settings.js';

const settings = microsoftSettingsSchema.parse({ id: 'microsoft', platform: 'microsoft', tag_id: '343210987', access_token: 'ms-token' });
const contract = loadRequestContract(new URL('./contract/events.schema.json', import.meta.url));
type Body = { data: Array<Record<string, unknown> & { userData: Record<string, unknown> }> };

describe('microsoft builder', () => {
  it('builds the golden purchase, within the contract', () => {
    const request = buildMicrosoftRequest([hashedPurchase()], settings);
    expect(request.url).toBe('https://capi.uet.microsoft.com/v1/343210987/events');
    expect(request.headers.authorization).toBe('Bearer ms-token');
    expect(contract.check(request.body)).toEqual([]);
    expectGolden(new URL('./golden/purchase.json', import.meta.url), request);
  });

  it('sends one hashed email, the E.164 phone with its +, and the msclkid', () => {
    const user = (buildMicrosoftRequest([hashedPurchase()], settings).body as Body).data[0]!.userData;
    expect(user.em).toBe(sha256('jane.doe@example.com'));
    expect(user.ph).toBe(sha256('+16505551212'));
    expect(user.msclkid).toBe(JANE.msclkid);
  });

  it('sends page views as pageLoad and the rest as custom events with UET names', () => {
    const body = buildMicrosoftRequest([hashedPageView(1), hashedPurchase()], settings).body as Body;
    expect(body.data[0]).toMatchObject({ eventType: 'pageLoad' });
    expect(body.data[0]).not.toHaveProperty('eventName');
    expect(body.data[1]).toMatchObject({ eventType: 'custom', eventName: 'purchase', adStorageConsent: 'G' });
    expect(microsoftEventName('initiate_checkout')).toBe('begin_checkout');
    expect(microsoftEventName('loyalty_signup')).toBe('loyalty_signup');
    expect(contract.check(body)).toEqual([]);
  });

  it('marks limited-data-use events as ad storage denied', () => {
    const body = buildMicrosoftRequest([hashedPurchase({ consent: { marketing: true, limited_data_use: true } })], settings).body as Body;
    expect(body.data[0]!.adStorageConsent).toBe('D');
  });

  it('skips events without an identifier UET can use', () => {
    expect(microsoftSkipReason(hashedPurchase({ user: { client_ip_address: '203.0.113.7', client_user_agent: 'UA' } }))).toBe('no_match_key');
    expect(microsoftSkipReason(hashedPurchase({ user: { msclkid: 'abc' } }))).toBeNull();
  });

  it('refuses test: true, since Microsoft has no test mode', () => {
    const result = microsoftSettingsSchema.safeParse({ ...settings, test: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['test']);
  });
});
