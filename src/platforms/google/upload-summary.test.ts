import { describe, expect, it } from 'vitest';
import { AttributedReadError } from '../../reconcile/attributed/pulled.js';
import { useControlledSimulators } from '../../reconcile/attributed/testing.js';
import { googleSettingsSchema, type GoogleSettings } from './settings.js';
import { parseUploadSummary, readGoogleUploadSummary, uploadSummaryGap } from './upload-summary.js';

// Real HTTP on loopback to the simulated token endpoint and searchStream (src/simulators/attributed.ts, answering
// the summary from the /_sim/quality control, src/simulators/quality.ts).

const sim = useControlledSimulators('/_sim/quality');
const setQuality = sim.set;

function settings(extra: Record<string, unknown> = {}): GoogleSettings {
  return googleSettingsSchema.parse({
    id: 'google-ads',
    platform: 'google',
    api: 'google_ads',
    customer_id: '123-456-7890',
    login_customer_id: '999-888-7777',
    developer_token: 'dev-token',
    conversion_actions: { purchase: '987654321' },
    oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' },
    base_url: sim.url,
    ...extra,
  });
}

describe('Google Ads offline conversion upload summary', () => {
  it("exchanges the destination's refresh token and sends one GAQL query for the API client's summary", async () => {
    const sent: { url: URL; headers: Headers; body: string }[] = [];
    const summary = await readGoogleUploadSummary(settings(), (input, init) => {
      sent.push({ url: new URL(String(input)), headers: new Headers(init?.headers), body: String(init?.body ?? '') });
      return fetch(input, init);
    });
    expect(sent.map((s) => s.url.pathname)).toEqual(['/token', '/v26/customers/1234567890/googleAds:searchStream']);
    const search = sent[1]!;
    expect(search.headers.get('developer-token')).toBe('dev-token');
    expect(search.headers.get('login-customer-id')).toBe('9998887777');
    const query = (JSON.parse(search.body) as { query: string }).query;
    expect(query).toMatch(/^SELECT offline_conversion_upload_client_summary\.client, .*offline_conversion_upload_client_summary\.alerts FROM offline_conversion_upload_client_summary WHERE offline_conversion_upload_client_summary\.client = 'GOOGLE_ADS_API'$/);
    expect(summary).toMatchObject({ client: 'GOOGLE_ADS_API', status: 'GOOD', success_rate: 92.9, successful: 406, total: 437, pending: 0, last_upload: '2026-12-04 08:41:07' });
    expect(summary!.daily).toHaveLength(7);
    expect(summary!.daily[6]).toEqual({ date: '2026-12-04', successful: 52, failed: 4, pending: 0 });
    expect(summary!.alerts).toEqual([{ code: 'CLICK_NOT_FOUND', share: 5.8 }, { code: 'EXPIRED_EVENT', share: 1.9 }]);
  });

  it('reads with reporting.developer_token and reporting.access_token when set, and answers null when Google has no summary', async () => {
    expect((await setQuality({ google: null })).status).toBe(200);
    const sent: Headers[] = [];
    const summary = await readGoogleUploadSummary(settings({ reporting: { developer_token: 'read-dev', access_token: 'read-token' } }), (input, init) => {
      sent.push(new Headers(init?.headers));
      return fetch(input, init);
    });
    expect(summary).toBeNull();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.get('authorization')).toBe('Bearer read-token');
    expect(sent[0]!.get('developer-token')).toBe('read-dev');
  });

  it('refuses a revoked token the way Google does, classified as an auth failure', async () => {
    const err = await readGoogleUploadSummary(settings({ reporting: { access_token: 'expired-token' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AttributedReadError);
    expect((err as AttributedReadError).error.kind).toBe('auth');
  });

  it('names the missing developer token on the Data Manager path', () => {
    const dataManager = googleSettingsSchema.parse({ id: 'g', platform: 'google', customer_id: '1234567890', conversion_actions: { purchase: '1' }, oauth: { client_id: 'c', client_secret: 's', refresh_token: 'r' } });
    expect(uploadSummaryGap(dataManager)).toMatch(/reporting\.developer_token/);
  });

  it("picks the API client's summary out of several and reads int64 counts given as strings", () => {
    const parsed = parseUploadSummary([
      {
        results: [
          { offlineConversionUploadClientSummary: { client: 'GOOGLE_ADS_WEB_CLIENT', successRate: 1, totalEventCount: '3', successfulEventCount: '3' } },
          { offlineConversionUploadClientSummary: { client: 'GOOGLE_ADS_API', successRate: 0.5, totalEventCount: '10', successfulEventCount: '5', alerts: [{ error: { dateError: 'INVALID_FIELD_FORMAT' }, errorPercentage: 0.5 }] } },
        ],
      },
    ]);
    expect(parsed).toMatchObject({ client: 'GOOGLE_ADS_API', success_rate: 50, total: 10, successful: 5, alerts: [{ code: 'INVALID_FIELD_FORMAT', share: 50 }] });
  });
});
