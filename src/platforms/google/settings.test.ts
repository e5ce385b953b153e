import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { googleSettingsSchema } from './settings.js';

const base = {
  id: 'google',
  platform: 'google',
  customer_id: '123-456-7890',
  api: 'google_ads',
  developer_token: 'dev',
  conversion_actions: { purchase: '987' },
  oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' },
};

describe('google settings', () => {
  it('strips the dashes Google shows in customer ids and fills the defaults', () => {
    const s = googleSettingsSchema.parse({ ...base, login_customer_id: '111-222-3333' });
    expect(s.customer_id).toBe('1234567890');
    expect(s.login_customer_id).toBe('1112223333');
    expect(s.status_check_after_sec).toBe(300);
  });

  it('sends through the Data Manager API unless api is "google_ads", which needs a developer token', () => {
    const { api: _api, developer_token: _dev, ...dataManager } = base;
    expect(googleSettingsSchema.parse(dataManager).api).toBe('data_manager');
    const noToken = googleSettingsSchema.safeParse({ ...base, developer_token: undefined });
    expect(noToken.error?.issues[0]).toMatchObject({ path: ['developer_token'], message: 'required with api "google_ads"' });
  });

  it.each(['developer_token', 'api_version', 'mode'])('refuses the Google Ads-only %s under the Data Manager API, saying why', (key) => {
    const { api: _api, developer_token: _dev, ...dataManager } = base;
    const value = key === 'api_version' ? 'v26' : key === 'mode' ? 'adjustments' : 'dev';
    const r = googleSettingsSchema.safeParse({ ...dataManager, [key]: value });
    expect(r.error?.issues[0]?.path).toEqual([key]);
    expect(r.error?.issues[0]?.message).toMatch(/used only with api "google_ads"; the Data Manager API \(the default\) needs no/);
  });

  it('takes a service-account key file instead of oauth, not both', () => {
    const { oauth, ...noOauth } = base;
    expect(googleSettingsSchema.parse({ ...noOauth, service_account_key_file: '/etc/matchkey/sa.json' }).service_account_key_file).toBe('/etc/matchkey/sa.json');
    const both = googleSettingsSchema.safeParse({ ...noOauth, oauth, service_account_key_file: '/etc/matchkey/sa.json' });
    expect(both.error?.issues[0]?.path).toEqual(['service_account_key_file']);
  });

  it('allows at most 10 conversion actions with the Data Manager API (10 destinations per request)', () => {
    const { api: _api, developer_token: _dev, ...dataManager } = base;
    const actions = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`event_${i}`, String(100 + i)]));
    expect(googleSettingsSchema.safeParse({ ...dataManager, conversion_actions: actions }).error?.issues[0]?.path).toEqual(['conversion_actions']);
  });

  it('accepts numeric conversion action ids and a static access token instead of oauth', () => {
    const { oauth: _oauth, ...withoutOauth } = base;
    const s = googleSettingsSchema.parse({ ...withoutOauth, access_token: 'ya29.x', conversion_actions: { purchase: 987 } });
    expect(s.conversion_actions).toEqual({ purchase: '987' });
  });

  it.each([
    [{ customer_id: '12345' }, 'customer_id'],
    [{ customer_id: '123-456-789O' }, 'customer_id'],
    [{ conversion_actions: { purchase: 'customers/1/conversionActions/2' } }, 'conversion_actions.purchase'],
    [{ api_version: '26' }, 'api_version'],
    [{ mode: 'enhanced' }, 'mode'],
    [{ conversion_action: { purchase: '1' } }, ''],
  ])('rejects %j naming the key', (patch, path) => {
    const r = googleSettingsSchema.safeParse({ ...base, ...patch });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.join('.')).toBe(path);
  });

  it('needs oauth or an access token', () => {
    const { oauth: _oauth, ...withoutOauth } = base;
    const r = googleSettingsSchema.safeParse(withoutOauth);
    expect(r.error?.issues[0]?.path).toEqual(['oauth']);
  });

  it('is what the config loader validates a google destination with', () => {
    const config = validateConfig({ destinations: [{ ...base, base_url: 'http://127.0.0.1:9' }] }, 'test', {});
    expect(config.destinations[0]).toMatchObject({ customer_id: '1234567890', base_url: 'http://127.0.0.1:9' });
    expect(() => validateConfig({ destinations: [{ ...base, developer_token: '' }] }, 'test', {})).toThrow(InputError);
    let thrown: unknown;
    try {
      validateConfig({ destinations: [{ ...base, customer_id: 'abc' }] }, 'test', {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).path).toBe('destinations.0.customer_id');
  });

  it('takes reporting.developer_token with the Data Manager API (reports need one), unlike a top-level developer_token', () => {
    const { developer_token: _uploadToken, ...dataManager } = { ...base, api: 'data_manager' };
    const s = googleSettingsSchema.parse({ ...dataManager, reporting: { developer_token: 'dev', api_version: 'v26' } });
    expect(s.api).toBe('data_manager');
    expect(s.reporting).toEqual({ developer_token: 'dev', api_version: 'v26' });
    expect(googleSettingsSchema.safeParse({ ...base, reporting: { developer_token: '' } }).error?.issues[0]?.path).toEqual(['reporting', 'developer_token']);
  });
});
