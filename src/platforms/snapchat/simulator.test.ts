import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedPageView, hashedPurchase } from '../../../test/fixtures/platforms/hashed-events.js';
import { send } from '../../../test/fixtures/platforms/round-trip.js';
import { startSimClient, type SimClient } from '../../simulators/test-support.js';
import { snapchat } from './index.js';

// Real HTTP on loopback against the snapchat simulator, which checks every request against the request contract.
describe('snapchat against its simulator', () => {
  let sim: SimClient;
  beforeAll(async () => {
    sim = await startSimClient();
  });
  afterAll(async () => {
    await sim.close();
  });

  const settingsFor = (extra: Record<string, unknown> = {}) =>
    snapchat.settingsSchema.parse({ id: 'snapchat', platform: 'snapchat', pixel_id: 'b3b2f3c6', access_token: 'demo-token', base_url: sim.sim.url, ...extra });
  const events = () => [hashedPurchase(), hashedPageView(1), hashedPageView(2)];

  it('has a realistic batch accepted, and test mode too', async () => {
    for (const extra of [{}, { test: true }]) {
      const response = await send(snapchat.buildRequest(events(), settingsFor(extra), { now: 0 }));
      expect(response.status).toBe(200);
      expect(snapchat.classify(response, 3).results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    }
  });

  it('classifies a revoked token as an auth failure', async () => {
    const response = await send(snapchat.buildRequest(events(), settingsFor({ access_token: 'expired-token' }), { now: 0 }));
    expect(snapchat.classify(response, 3).results.every((r) => !r.ok && r.error.kind === 'auth')).toBe(true);
  });

  it('refuses a malformed event in Snap error shape and the worker is told to split', async () => {
    const bad = events();
    bad[1] = { ...bad[1]!, user: { em: ['NOT-A-HASH'] } };
    const response = await send(snapchat.buildRequest(bad, settingsFor(), { now: 0 }));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: 'INVALID', param: 'data.1.user_data.em' });
    const classified = snapchat.classify(response, 3);
    expect(classified.wholeBatch).toBe(true);
    expect(classified.results[1]?.ok === false && classified.results[1].error.kind).toBe('permanent');
  });
});
