import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedPageView, hashedPurchase } from '../../../test/fixtures/platforms/hashed-events.js';
import { send } from '../../../test/fixtures/platforms/round-trip.js';
import { startSimClient, type SimClient } from '../../simulators/test-support.js';
import { reddit } from './index.js';

// Real HTTP on loopback against the reddit simulator, which checks every request against the request contract.
describe('reddit against its simulator', () => {
  let sim: SimClient;
  beforeAll(async () => {
    sim = await startSimClient();
  });
  afterAll(async () => {
    await sim.close();
  });

  const settingsFor = (extra: Record<string, unknown> = {}) =>
    reddit.settingsSchema.parse({ id: 'reddit', platform: 'reddit', pixel_id: 'a2_abc123', access_token: 'demo-token', base_url: sim.sim.url, ...extra });
  const events = () => [hashedPurchase(), hashedPageView(1), hashedPageView(2)];

  it('has a realistic batch accepted, and test mode too', async () => {
    for (const extra of [{}, { test: true, test_id: 't2_test' }]) {
      const response = await send(reddit.buildRequest(events(), settingsFor(extra), { now: 0 }));
      expect(response.status).toBe(200);
      expect(reddit.classify(response, 3).results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    }
  });

  it('classifies a revoked token as an auth failure', async () => {
    const response = await send(reddit.buildRequest(events(), settingsFor({ access_token: 'expired-token' }), { now: 0 }));
    expect(reddit.classify(response, 3).results.every((r) => !r.ok && r.error.kind === 'auth')).toBe(true);
  });

  it('refuses an unknown field in Reddit error shape, and the worker is told to split', async () => {
    const request = reddit.buildRequest(events(), settingsFor(), { now: 0 });
    (request.body as { data: { events: Record<string, unknown>[] } }).data.events[1]!.pixel_id = 'x';
    const response = await send(request);
    expect(response).toMatchObject({ status: 400, body: { error: { code: 400, message: 'unknown field "pixel_id" (data.events.1.pixel_id)' } } });
    const classified = reddit.classify(response, 3);
    expect(classified.wholeBatch).toBe(true);
    expect(classified.results[1]).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'reddit_invalid' } });
  });
});
