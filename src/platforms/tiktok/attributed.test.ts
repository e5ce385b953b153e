import { describe, expect, it } from 'vitest';
import { recordingFetch, useControlledSimulators } from '../../reconcile/attributed/testing.js';
import { readTikTokAttributed } from './attributed.js';
import { tiktokSettingsSchema, type TikTokSettings } from './settings.js';

// Real HTTP on loopback to the simulated integrated report (src/simulators/attributed.ts).

const sim = useControlledSimulators('/_sim/attributed');
const setReport = sim.set;

function settings(reporting: Record<string, unknown> = { advertiser_id: '7001234567890', access_token: 'marketing-token' }): TikTokSettings {
  return tiktokSettingsSchema.parse({ id: 'tt-main', platform: 'tiktok', pixel_code: 'C4ABCDEF12345', access_token: 'events-token', base_url: sim.url, reporting });
}

describe('TikTok integrated report read (complete payments)', () => {
  it('sends the golden request with the Marketing API token, not the Events API one', async () => {
    const r = recordingFetch();
    await readTikTokAttributed(settings(), { from: '2026-11-01', to: '2026-11-03' }, r.fetchFn);
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.url.pathname).toBe('/open_api/v1.3/report/integrated/get/');
    expect(Object.fromEntries(r.sent[0]!.url.searchParams)).toEqual({
      advertiser_id: '7001234567890',
      report_type: 'BASIC',
      data_level: 'AUCTION_ADVERTISER',
      dimensions: '["stat_time_day"]',
      metrics: '["complete_payment","total_complete_payment_rate"]',
      start_date: '2026-11-01',
      end_date: '2026-11-03',
      page: '1',
      page_size: '1000',
    });
    expect(r.sent[0]!.headers.get('access-token')).toBe('marketing-token');
  });

  it('reads complete payments and their value per day, following page_info and 30-day pieces', async () => {
    const days = Array.from({ length: 40 }, (_, i) => ({ date: new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10), conversions: 2, value: 99.5 }));
    await setReport({ tiktok: { days, page_size: 7 } });
    const r = recordingFetch();
    const pulled = await readTikTokAttributed(settings(), { from: '2026-10-01', to: '2026-11-09' }, r.fetchFn);
    // 30 days at 7 a page (5 pages), then 10 days (2 pages).
    expect(r.sent.map(({ url: u }) => `${u.searchParams.get('start_date')}:${u.searchParams.get('page')}`)).toEqual([
      '2026-10-01:1', '2026-10-01:2', '2026-10-01:3', '2026-10-01:4', '2026-10-01:5', '2026-10-31:1', '2026-10-31:2',
    ]);
    expect(pulled.days).toHaveLength(40);
    expect(pulled.days[0]).toEqual({ date: '2026-10-01', conversions: 2, value: 99.5 });
    expect(pulled).toMatchObject({ platform: 'tiktok', window: { click_days: 7, view_days: 1 }, window_source: 'account_setting', endpoint: 'GET /open_api/v1.3/report/integrated/get/' });
    expect(pulled.window_detail).toMatch(/attribution setting, taken to be 7d_click,1d_view \(TikTok's default\)/);
  });

  it("maps TikTok's codes in an HTTP 200: a revoked token and no advertiser permission are auth", async () => {
    await expect(readTikTokAttributed(settings({ advertiser_id: '7001', access_token: 'expired-x' }), { from: '2026-11-01', to: '2026-11-01' })).rejects.toMatchObject({
      error: { kind: 'auth', code: 'tiktok_40105' },
    });
    await expect(readTikTokAttributed(settings({ advertiser_id: '0700', access_token: 'ok' }), { from: '2026-11-01', to: '2026-11-01' })).rejects.toMatchObject({
      error: { kind: 'auth', code: 'tiktok_40001' },
    });
  });
});
