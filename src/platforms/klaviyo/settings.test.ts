import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load.js';
import { klaviyoSettingsSchema } from './settings.js';

describe('klaviyo settings', () => {
  it('pins the latest revision by default and lets a destination override it', () => {
    expect(klaviyoSettingsSchema.parse({ id: 'k', platform: 'klaviyo', api_key: 'pk_1' }).revision).toBe('2026-10-15');
    expect(klaviyoSettingsSchema.parse({ id: 'k', platform: 'klaviyo', api_key: 'pk_1', revision: '2026-04-15' }).revision).toBe('2026-04-15');
  });

  it.each([
    [{ api_key: '' }, 'api_key'],
    [{ revision: 'latest' }, 'revision'],
    [{ apikey: 'x' }, ''],
  ])('rejects %j naming the key', (patch, path) => {
    const r = klaviyoSettingsSchema.safeParse({ id: 'k', platform: 'klaviyo', api_key: 'pk_1', ...patch });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.join('.')).toBe(path);
  });

  it('validates a klaviyo destination of a config, common keys included', () => {
    const config = validateConfig({ destinations: [{ id: 'klaviyo', platform: 'klaviyo', api_key: '${K}', base_url: 'http://127.0.0.1:9', send_browser_events: true }] }, 'test', { K: 'pk_env' });
    expect(config.destinations[0]).toMatchObject({ api_key: 'pk_env', revision: '2026-10-15', base_url: 'http://127.0.0.1:9' });
  });
});
