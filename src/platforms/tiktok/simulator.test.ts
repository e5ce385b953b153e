import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedPageView, hashedPurchase } from '../../../test/fixtures/platforms/hashed-events.js';
import { send } from '../../../test/fixtures/platforms/round-trip.js';
import { startSimClient, type SimClient } from '../../simulators/test-support.js';
import { tiktok } from './index.js';

// Real HTTP on loopback against the built-in tiktok simulator, which enforces the wire contract: what the builder
// sends is accepted, and what the simulator answers is classified as the platform's answer would be.
describe('tiktok against its simulator', () => {
  let sim: SimClient;
  beforeAll(async () => {
    sim = await startSimClient();
  });
  afterAll(async () => {
    await sim.close();
  });

  const settingsFor = (extra: Record<string, unknown> = {}) => tiktok.settingsSchema.parse({ ...{ id: 'tiktok', platform: 'tiktok', pixel_code: 'CDEMO00000000000000', access_token: 'demo-token', base_url: sim.sim.url }, ...extra });
  const recent = () => {
    const now = Math.floor(Date.now() / 1000);
    return [hashedPurchase({ event_time: now - 60 }), hashedPageView(1, { event_time: now - 30 }), hashedPageView(2, { event_time: now - 10 })];
  };

  it('has a realistic batch accepted', async () => {
    const events = recent();
    const response = await send(tiktok.buildRequest(events, settingsFor(), { now: Math.floor(Date.now() / 1000) }));
    const classified = tiktok.classify(response, events.length);
    expect(classified.results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
  });

  it('classifies a revoked token as an auth failure', async () => {
    const events = recent();
    const response = await send(tiktok.buildRequest(events, settingsFor({ access_token: 'expired-token' }), { now: 0 }));
    const classified = tiktok.classify(response, events.length);
    expect(classified.results.every((r) => !r.ok && r.error.kind === 'auth')).toBe(true);
  });

  it('never lets a malformed event pass as delivered', async () => {
    const events = recent();
    events[1] = { ...events[1]!, user: { ...hashedPageView(1).user, em: ['NOT-A-HASH'] } };
    const response = await send(tiktok.buildRequest(events, settingsFor(), { now: 0 }));
    const classified = tiktok.classify(response, events.length);
    const bad = classified.results[1];
    expect(bad?.ok === false && bad.error.kind).toBe('permanent');
    // Either the answer names the bad event and its neighbours are not refused for good, or the worker must split.
    if (!classified.wholeBatch) {
      for (const i of [0, 2]) expect(classified.results[i]?.ok === false && classified.results[i]?.error.kind).not.toBe('permanent');
    }
  });
});
