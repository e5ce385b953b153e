import { describe, expect, it } from 'vitest';
import { AttributedReadError } from '../../reconcile/attributed/pulled.js';
import { recordingFetch, useControlledSimulators } from '../../reconcile/attributed/testing.js';
import { readMetaAttributed } from './attributed.js';
import { metaSettingsSchema, type MetaSettings } from './settings.js';

// Real HTTP on loopback to the simulated Insights API (src/simulators/attributed.ts).

const sim = useControlledSimulators('/_sim/attributed');
const setReport = sim.set;

function settings(extra: Record<string, unknown> = {}): MetaSettings {
  return metaSettingsSchema.parse({
    id: 'meta-main',
    platform: 'meta',
    pixel_id: '1234567890',
    access_token: 'capi-token',
    base_url: sim.url,
    reporting: { ad_account_id: 'act_998877', access_token: 'ads-read-token' },
    ...extra,
  });
}

describe('Meta Insights read (attributed purchases)', () => {
  it('sends the golden request: account level, daily, explicit windows, the reading token', async () => {
    const r = recordingFetch();
    await readMetaAttributed(settings(), { from: '2026-11-01', to: '2026-11-03' }, r.fetchFn);
    expect(r.sent).toHaveLength(1);
    const url = r.sent[0]!.url;
    expect(url.pathname).toBe('/v26.0/act_998877/insights');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      level: 'account',
      time_increment: '1',
      time_range: '{"since":"2026-11-01","until":"2026-11-03"}',
      fields: 'actions,action_values,account_currency',
      action_attribution_windows: '["7d_click","1d_view"]',
      action_breakdowns: 'action_type',
      limit: '100',
    });
    expect(r.sent[0]!.headers.get('authorization')).toBe('Bearer ads-read-token');
  });

  it('reads the pixel purchases per day with the window it asked for, following paging.next', async () => {
    const days = Array.from({ length: 12 }, (_, i) => ({ date: `2026-11-${String(i + 1).padStart(2, '0')}`, conversions: 10, value: 500 }));
    await setReport({ meta: { days, currency: 'EUR', page_size: 5 } });
    const r = recordingFetch();
    const pulled = await readMetaAttributed(settings(), { from: '2026-11-01', to: '2026-11-12' }, r.fetchFn);
    // 12 days at 5 a page: three pages, the later ones through the cursor of paging.next (rewritten to base_url).
    expect(r.sent).toHaveLength(3);
    expect(r.sent[1]!.url.host).toBe(new URL(sim.url).host);
    expect(r.sent[1]!.url.searchParams.get('after')).toBeTruthy();
    expect(pulled).toMatchObject({
      platform: 'meta',
      destination_id: 'meta-main',
      window: { click_days: 7, view_days: 1 },
      window_source: 'requested',
      window_detail: 'action_attribution_windows=7d_click,1d_view',
      endpoint: 'GET /v26.0/act_998877/insights',
      currency: 'EUR',
    });
    expect(pulled.days).toHaveLength(12);
    // The simulator splits 10 purchases into 8 by click and 2 by view; the two windows asked for add back up to 10.
    expect(pulled.days[0]).toEqual({ date: '2026-11-01', conversions: 10, value: 500 });
  });

  it('asks for another window when given one, and refuses windows Insights no longer reports', async () => {
    await setReport({ meta: { days: [{ date: '2026-11-01', conversions: 10, value: 500 }] } });
    const r = recordingFetch();
    const pulled = await readMetaAttributed(settings(), { from: '2026-11-01', to: '2026-11-01', window: { click_days: 28, view_days: 1 } }, r.fetchFn);
    expect(r.sent[0]!.url.searchParams.get('action_attribution_windows')).toBe('["28d_click","1d_view"]');
    expect(pulled.window_detail).toBe('action_attribution_windows=28d_click,1d_view');
    expect(pulled.days[0]!.conversions).toBe(12); // 8 by click × 1.2 (28 days) + 2 by view
    await expect(readMetaAttributed(settings(), { from: '2026-11-01', to: '2026-11-01', window: { click_days: 7, view_days: 7 } })).rejects.toMatchObject({
      error: { kind: 'permanent', code: 'UNSUPPORTED_WINDOW' },
    });
  });

  it('maps a refused token to auth, an unknown account to permanent, an unreachable host to retryable', async () => {
    const revoked = settings({ reporting: { ad_account_id: '998877', access_token: 'invalid-token' } });
    const err = await readMetaAttributed(revoked, { from: '2026-11-01', to: '2026-11-01' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AttributedReadError);
    expect((err as AttributedReadError).error).toMatchObject({ kind: 'auth', code: 'meta_190' });

    const unknown = settings({ reporting: { ad_account_id: '998877' }, access_token: 'sim' });
    unknown.reporting!.ad_account_id = 'unknown1';
    await expect(readMetaAttributed(unknown, { from: '2026-11-01', to: '2026-11-01' })).rejects.toMatchObject({ error: { kind: 'permanent', code: 'meta_100' } });

    const offline = settings({ base_url: 'http://127.0.0.1:1' });
    await expect(readMetaAttributed(offline, { from: '2026-11-01', to: '2026-11-01' })).rejects.toMatchObject({ error: { kind: 'retryable', code: 'NETWORK' } });
  });

  it('falls back to the Conversions API token without reporting.access_token, with appsecret_proof when app_secret is set', async () => {
    const r = recordingFetch();
    await readMetaAttributed(settings({ reporting: { ad_account_id: '998877' }, app_secret: 's3cret' }), { from: '2026-11-01', to: '2026-11-01' }, r.fetchFn);
    expect(r.sent[0]!.headers.get('authorization')).toBe('Bearer capi-token');
    expect(r.sent[0]!.url.searchParams.get('appsecret_proof')).toMatch(/^[0-9a-f]{64}$/);
  });
});
