import { describe, expect, it } from 'vitest';
import { recordingFetch, useControlledSimulators } from '../../reconcile/attributed/testing.js';
import { readPinterestAttributed } from './attributed.js';
import { pinterestSettingsSchema, type PinterestSettings } from './settings.js';

// Real HTTP on loopback to the simulated ad account analytics (src/simulators/attributed.ts).

const sim = useControlledSimulators('/_sim/attributed');
const setReport = sim.set;

function settings(extra: Record<string, unknown> = {}): PinterestSettings {
  return pinterestSettingsSchema.parse({ id: 'pin-main', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'conversion-token', base_url: sim.url, ...extra });
}

describe('Pinterest ad account analytics read (checkout totals)', () => {
  it('sends the golden request: daily checkout columns with the three windows and ad-action time', async () => {
    const r = recordingFetch();
    await readPinterestAttributed(settings({ reporting: { access_token: 'ads-read-oauth' } }), { from: '2026-11-01', to: '2026-11-03' }, r.fetchFn);
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.url.pathname).toBe('/v5/ad_accounts/549755885175/analytics');
    expect(Object.fromEntries(r.sent[0]!.url.searchParams)).toEqual({
      start_date: '2026-11-01',
      end_date: '2026-11-03',
      columns: 'TOTAL_CHECKOUT,TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR',
      granularity: 'DAY',
      click_window_days: '30',
      engagement_window_days: '30',
      view_window_days: '1',
      conversion_report_time: 'TIME_OF_AD_ACTION',
    });
    expect(r.sent[0]!.headers.get('authorization')).toBe('Bearer ads-read-oauth');
  });

  it('reads checkouts and their value (micro-units) per day, with the window named', async () => {
    await setReport({ pinterest: { days: [{ date: '2026-11-02', conversions: 4, value: 199.96 }] } });
    const pulled = await readPinterestAttributed(settings(), { from: '2026-11-01', to: '2026-11-03' });
    expect(pulled).toMatchObject({
      platform: 'pinterest',
      window: { click_days: 30, engagement_days: 30, view_days: 1 },
      window_source: 'requested',
      endpoint: 'GET /v5/ad_accounts/549755885175/analytics',
      days: [{ date: '2026-11-02', conversions: 4, value: 199.96 }],
    });
    expect(pulled.window_detail).toContain('click_window_days=30');
    expect(pulled.currency).toBeUndefined();
  });

  it('splits a range longer than 90 days, and sends a given click window', async () => {
    const r = recordingFetch();
    const pulled = await readPinterestAttributed(settings(), { from: '2026-06-01', to: '2026-10-31', window: { click_days: 7 } }, r.fetchFn);
    expect(r.sent.map(({ url: u }) => [u.searchParams.get('start_date'), u.searchParams.get('end_date')])).toEqual([
      ['2026-06-01', '2026-08-29'],
      ['2026-08-30', '2026-10-31'],
    ]);
    expect(r.sent[0]!.url.searchParams.get('click_window_days')).toBe('7');
    expect(pulled.window).toEqual({ click_days: 7, engagement_days: 30, view_days: 1 });
    expect(pulled.days).toHaveLength(153);
  });

  it('maps a token without ads:read (401) to auth and a window Pinterest does not offer to permanent', async () => {
    await expect(readPinterestAttributed(settings({ access_token: 'expired-token' }), { from: '2026-11-01', to: '2026-11-01' })).rejects.toMatchObject({
      error: { kind: 'auth', code: 'HTTP_401' },
    });
    await expect(readPinterestAttributed(settings(), { from: '2026-11-01', to: '2026-11-01', window: { click_days: 28 } })).rejects.toMatchObject({
      error: { kind: 'permanent', code: 'UNSUPPORTED_WINDOW' },
    });
  });
});
