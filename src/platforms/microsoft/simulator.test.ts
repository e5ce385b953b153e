import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedPageView, hashedPurchase } from '../../../test/fixtures/platforms/hashed-events.js';
import { send } from '../../../test/fixtures/platforms/round-trip.js';
import { startSimClient, type SimClient } from '../../simulators/test-support.js';
import { microsoft } from './index.js';

// Real HTTP on loopback against the microsoft simulator, which checks every request against the request contract.
describe('microsoft against its simulator', () => {
  let sim: SimClient;
  beforeAll(async () => {
    sim = await startSimClient();
  });
  afterAll(async () => {
    await sim.close();
  });

  const settingsFor = (extra: Record<string, unknown> = {}) =>
    microsoft.settingsSchema.parse({ id: 'microsoft', platform: 'microsoft', tag_id: '343210987', access_token: 'demo-token', base_url: sim.sim.url, ...extra });
  const events = () => [hashedPurchase(), hashedPageView(1), hashedPageView(2)];

  it('has a realistic batch accepted', async () => {
    const response = await send(microsoft.buildRequest(events(), settingsFor(), { now: 0 }));
    expect(response).toMatchObject({ status: 200, body: { eventsReceived: 3 } });
    expect(microsoft.classify(response, 3).results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
  });

  it('classifies a revoked token as an auth failure', async () => {
    const response = await send(microsoft.buildRequest(events(), settingsFor({ access_token: 'expired-token' }), { now: 0 }));
    expect(microsoft.classify(response, 3).results.every((r) => !r.ok && r.error.kind === 'auth')).toBe(true);
  });

  it('refuses a malformed event naming its path, and the worker is told to split', async () => {
    const bad = events();
    bad[2] = { ...bad[2]!, user: { em: ['NOT-A-HASH'] } };
    const response = await send(microsoft.buildRequest(bad, settingsFor(), { now: 0 }));
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'InvalidRequest', target: 'data.2.userData.em' } } });
    const classified = microsoft.classify(response, 3);
    expect(classified.wholeBatch).toBe(true);
    expect(classified.results[2]).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'microsoft_invalid' } });
  });
});
