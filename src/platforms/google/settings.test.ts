import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { googleSettingsSchema } from './settings.js';

const base = {
  id: 'google',
  platform: 'google',
  customer_id: '123-456-7890',
  developer_token: 'dev',
  conversion_actions: { purchase: '987' },
  oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' },
};

describe('google settings', () => {
  it('strips the dashes Google shows in customer ids and fills the defaults', () => {
    const s = googleSettingsSchema.parse({ ...base, login_customer_id: '111-222-3333' });
    expect(s.customer_id).toBe('1234567890');
    expect(s.login_customer_id).toBe('1112223333');
    expect(s.api_version).toBe('v26');
    expect(s.mode).toBe('click_conversions');
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
});
