import { describe, expect, it } from 'vitest';
import { useControlledSimulators } from '../reconcile/attributed/testing.js';

// The simulated reporting APIs and their /_sim/attributed control, over real HTTP on loopback. The read clients'
// own tests (src/platforms/*/attributed.test.ts) check the requests Matchkey sends; this checks what the simulator
// answers and refuses.

const sim = useControlledSimulators('/_sim/attributed');
const control = sim.set;
const bearer = { authorization: 'Bearer t' };

describe('simulated reporting APIs', () => {
  it('reports a steady figure for every day asked by default, and only the days set once told', async () => {
    const url = `${sim.url}/v5/ad_accounts/549755885175/analytics?start_date=2026-11-01&end_date=2026-11-07&granularity=DAY&columns=TOTAL_CHECKOUT`;
    const steady = (await (await fetch(url, { headers: bearer })).json()) as { DATE: string; TOTAL_CHECKOUT: number }[];
    expect(steady.map((r) => r.DATE)).toHaveLength(7);
    expect(steady.every((r) => typeof r.TOTAL_CHECKOUT === 'number' && !('TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR' in r))).toBe(true);

    expect((await control({ pinterest: { days: [{ date: '2026-11-03', conversions: 2, value: 10.5 }] } })).status).toBe(200);
    expect(await (await fetch(`${url},TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR`, { headers: bearer })).json()).toEqual([
      { DATE: '2026-11-03', AD_ACCOUNT_ID: '549755885175', TOTAL_CHECKOUT: 2, TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR: 10_500_000 },
    ]);
    expect(((await (await fetch(`${sim.url}/_sim/attributed`)).json()) as { pinterest: { days: unknown[] } }).pinterest.days).toHaveLength(1);
    expect((await fetch(`${sim.url}/_sim/attributed`, { method: 'DELETE' })).status).toBe(204);
    expect(((await (await fetch(`${sim.url}/_sim/attributed`)).json()) as { pinterest: { days?: unknown } }).pinterest.days).toBeUndefined();
  });

  it("answers Meta's daily rows split into the windows asked, paged through an absolute paging.next", async () => {
    await control({ meta: { days: [{ date: '2026-11-01', conversions: 10, value: 100 }, { date: '2026-11-02', conversions: 5, value: 50 }], page_size: 1 } });
    const q = new URLSearchParams({ time_range: '{"since":"2026-11-01","until":"2026-11-02"}', action_attribution_windows: '["7d_click","1d_view"]', time_increment: '1' });
    const first = (await (await fetch(`${sim.url}/v26.0/act_42/insights?${q}`, { headers: bearer })).json()) as {
      data: { actions: Record<string, string>[]; date_start: string }[];
      paging: { next?: string };
    };
    expect(first.data).toHaveLength(1);
    expect(first.data[0]!.actions[0]).toEqual({ action_type: 'offsite_conversion.fb_pixel_purchase', '7d_click': '8', '1d_view': '2', value: '10' });
    const next = new URL(first.paging.next!);
    expect(next.origin).toBe('https://graph.facebook.com');
    const second = (await (await fetch(`${sim.url}${next.pathname}${next.search}`, { headers: bearer })).json()) as { data: { date_start: string }[]; paging: { next?: string } };
    expect(second.data.map((d) => d.date_start)).toEqual(['2026-11-02']);
    expect(second.paging.next).toBeUndefined();
  });

  it('refuses the way each platform does: bad windows, long ranges, revoked tokens', async () => {
    const meta = await fetch(`${sim.url}/v26.0/act_42/insights?time_range=${encodeURIComponent('{"since":"2026-11-01","until":"2026-11-02"}')}&action_attribution_windows=${encodeURIComponent('["7d_view"]')}`, { headers: bearer });
    expect(meta.status).toBe(400);
    expect(((await meta.json()) as { error: { code: number } }).error.code).toBe(100);
    const pin = await fetch(`${sim.url}/v5/ad_accounts/1/analytics?start_date=2026-01-01&end_date=2026-06-01&columns=TOTAL_CHECKOUT&granularity=DAY`, { headers: bearer });
    expect(pin.status).toBe(400);
    const tiktok = await fetch(`${sim.url}/open_api/v1.3/report/integrated/get/?advertiser_id=1&report_type=BASIC&data_level=AUCTION_ADVERTISER&dimensions=${encodeURIComponent('["stat_time_day"]')}&metrics=[]&start_date=2026-01-01&end_date=2026-03-01`, { headers: { 'access-token': 't' } });
    expect(tiktok.status).toBe(200);
    expect(((await tiktok.json()) as { code: number }).code).toBe(40002);
    const google = await fetch(`${sim.url}/v26/customers/1234567890/googleAds:searchStream`, { method: 'POST', headers: { authorization: 'Bearer invalid-x', 'developer-token': 'd', 'content-type': 'application/json' }, body: '{"query":"SELECT"}' });
    expect(google.status).toBe(401);
  });

  it('/_sim/attributed refuses what it cannot serve, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ snapchat: {} }, 'snapchat'],
      [{ meta: { days: [{ date: '2026-11-1', conversions: 1, value: 1 }] } }, 'meta.days.0'],
      [{ tiktok: { currency: 'usd' } }, 'tiktok.currency'],
      [{ google: { page_size: 0 } }, 'google.page_size'],
      [{ meta: { windows: [] } }, 'meta.windows'],
    ];
    for (const [body, path] of cases) {
      const res = await control(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { path: string } }).error.path).toBe(path);
    }
  });
});
