import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedPurchase, JANE } from '../../../test/fixtures/platforms/hashed-events.js';
import { send } from '../../../test/fixtures/platforms/round-trip.js';
import { startSimClient, type SimClient } from '../../simulators/test-support.js';
import { ga4 } from './index.js';

// The builder against the GA4 stand-in over real HTTP: what it sends passes the validation server, and a
// validation message comes back as a permanent failure that quotes it.
describe('ga4 against its simulator', () => {
  let sim: SimClient;
  beforeAll(async () => {
    sim = await startSimClient();
  });
  afterAll(async () => {
    await sim.close();
  });

  const settingsFor = (extra: Record<string, unknown> = {}) => ga4.settingsSchema.parse({ id: 'ga4', platform: 'ga4', measurement_id: 'G-DEMO000000', api_secret: 'demo-ga4-api-secret', base_url: sim.sim.url, ...extra });
  const now = () => Math.floor(Date.now() / 1000);
  const user = { ...JANE, ga_client_id: '1162820436.1764326000', ga_session_id: '1764326000' };

  it('has a purchase validated by the validation server (test mode) and received by /mp/collect', async () => {
    for (const test of [true, false]) {
      const event = hashedPurchase({ event_time: now() - 60, user });
      const response = await send(ga4.buildRequest([event], settingsFor({ test }), { now: now() }));
      expect(response.status).toBe(test ? 200 : 204);
      expect(ga4.classify(response, 1).results).toEqual([{ ok: true }]);
    }
  });

  it('reports the validation messages of a refused event', async () => {
    const event = hashedPurchase({ event_time: now() - 80 * 3600, user });
    const response = await send(ga4.buildRequest([event], settingsFor({ test: true }), { now: now() }));
    const [result] = ga4.classify(response, 1).results;
    expect(result?.ok === false && result.error.code).toBe('ga4_validation');
    expect(result?.ok === false && result.error.message).toContain('VALUE_OUT_OF_BOUNDS timestamp_micros');
  });
});
