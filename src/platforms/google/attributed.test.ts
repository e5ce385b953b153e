import { describe, expect, it } from 'vitest';
import { recordingFetch, useControlledSimulators } from '../../reconcile/attributed/testing.js';
import { googleReportingGap, readGoogleAttributed } from './attributed.js';
import { googleSettingsSchema, type GoogleSettings } from './settings.js';

// Real HTTP on loopback to the simulated token endpoint and searchStream (src/simulators/attributed.ts).

const sim = useControlledSimulators('/_sim/attributed');
const setReport = sim.set;

function settings(extra: Record<string, unknown> = {}): GoogleSettings {
  return googleSettingsSchema.parse({
    id: 'google-main',
    platform: 'google',
    customer_id: '123-456-7890',
    login_customer_id: '999-888-7777',
    conversion_actions: { purchase: '987654321' },
    oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' },
    base_url: sim.url,
    reporting: { developer_token: 'dev-token' },
    ...extra,
  });
}

describe('Google Ads API read (the purchase conversion action)', () => {
  it('exchanges the refresh token, then sends the two golden GAQL queries with the developer token', async () => {
    const r = recordingFetch();
    await readGoogleAttributed(settings(), { from: '2026-11-01', to: '2026-11-03' }, r.fetchFn);
    expect(r.sent.map((s) => s.url.pathname)).toEqual(['/token', '/v26/customers/1234567890/googleAds:searchStream', '/v26/customers/1234567890/googleAds:searchStream']);
    expect(Object.fromEntries(new URLSearchParams(r.sent[0]!.body))).toEqual({ grant_type: 'refresh_token', client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' });
    const [, actions, metrics] = r.sent;
    expect(actions!.headers.get('developer-token')).toBe('dev-token');
    expect(actions!.headers.get('login-customer-id')).toBe('9998887777');
    expect(actions!.headers.get('authorization')).toMatch(/^Bearer sim-/);
    expect(JSON.parse(actions!.body)).toEqual({
      query:
        'SELECT conversion_action.id, conversion_action.name, conversion_action.click_through_lookback_window_days, ' +
        'conversion_action.view_through_lookback_window_days FROM conversion_action WHERE conversion_action.id = 987654321',
    });
    expect(JSON.parse(metrics!.body)).toEqual({
      query:
        'SELECT customer.currency_code, segments.date, segments.conversion_action, metrics.all_conversions, metrics.all_conversions_value ' +
        "FROM campaign WHERE segments.date BETWEEN '2026-11-01' AND '2026-11-03' AND segments.conversion_action = 'customers/1234567890/conversionActions/987654321'",
    });
  });

  it("records the conversion action's own lookback window and reads all conversions and value per day", async () => {
    await setReport({ google: { days: [{ date: '2026-11-02', conversions: 3.5, value: 175.25 }], currency: 'EUR' } });
    const pulled = await readGoogleAttributed(settings({ reporting: { developer_token: 'dev', access_token: 'static' } }), { from: '2026-11-01', to: '2026-11-03' });
    expect(pulled).toEqual({
      platform: 'google',
      destination_id: 'google-main',
      window: { click_days: 30, view_days: 1 },
      window_source: 'account_setting',
      window_detail: 'conversion action 987654321 "Purchase": click_through_lookback_window_days=30, view_through_lookback_window_days=1',
      endpoint: 'POST /v26/customers/1234567890/googleAds:searchStream',
      currency: 'EUR',
      days: [{ date: '2026-11-02', conversions: 3.5, value: 175.25 }],
    });
  });

  it('names what is missing, and maps a revoked refresh token and a refused access token to auth', async () => {
    expect(googleReportingGap(settings({ reporting: undefined }))).toMatch(/reporting\.developer_token/);
    expect(googleReportingGap(settings({ conversion_actions: { add_to_cart: '1' } }))).toMatch(/purchase/);
    await expect(readGoogleAttributed(settings({ oauth: { client_id: 'c', client_secret: 's', refresh_token: 'invalid-refresh' } }), { from: '2026-11-01', to: '2026-11-01' })).rejects.toMatchObject({
      error: { kind: 'auth', code: 'invalid_grant' },
    });
    await expect(readGoogleAttributed(settings({ reporting: { developer_token: 'd', access_token: 'expired-token' } }), { from: '2026-11-01', to: '2026-11-01' })).rejects.toMatchObject({
      error: { kind: 'auth', code: 'HTTP_401' },
    });
  });
});
