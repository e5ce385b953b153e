import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedPageView, hashedPurchase } from '../../../test/fixtures/platforms/hashed-events.js';
import { send } from '../../../test/fixtures/platforms/round-trip.js';
import { startSimClient, type SimClient } from '../../simulators/test-support.js';
import { meta } from './index.js';

// Real HTTP on loopback against the built-in meta simulator, which enforces the wire contract: what the builder
// sends is accepted, and what the simulator answers is classified as the platform's answer would be.
describe('meta against its simulator', () => {
  let sim: SimClient;
  beforeAll(async () => {
    sim = await startSimClient();
  });
  afterAll(async () => {
    await sim.close();
  });

  const settingsFor = (extra: Record<string, unknown> = {}) => meta.settingsSchema.parse({ ...{ id: 'meta', platform: 'meta', pixel_id: '1234567890123456', access_token: 'demo-token', base_url: sim.sim.url }, ...extra });
  const recent = () => {
    const now = Math.floor(Date.now() / 1000);
    return [hashedPurchase({ event_time: now - 60 }), hashedPageView(1, { event_time: now - 30 }), hashedPageView(2, { event_time: now - 10 })];
  };

  it('has a realistic batch accepted', async () => {
    const events = recent();
    const response = await send(meta.buildRequest(events, settingsFor(), { now: Math.floor(Date.now() / 1000) }));
    const classified = meta.classify(response, events.length);
    expect(classified.results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
  });

  it('has a website purchase without a user agent accepted (sent as action_source "other")', async () => {
    const events = recent();
    events[0] = { ...events[0]!, user: { ...events[0]!.user, client_user_agent: undefined } };
    const response = await send(meta.buildRequest(events, settingsFor(), { now: 0 }));
    expect(meta.classify(response, events.length).results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
  });

  it('asks for a split when such an event is sent as website anyway (incomplete_website_events: "send")', async () => {
    const events = recent();
    events[0] = { ...events[0]!, user: { ...events[0]!.user, client_user_agent: undefined } };
    const response = await send(meta.buildRequest(events, settingsFor({ incomplete_website_events: 'send' }), { now: 0 }));
    const classified = meta.classify(response, events.length);
    expect(classified.wholeBatch).toBe(true);
    expect(classified.results[0]).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'meta_100_2804050' } });
  });

  it('classifies a revoked token as an auth failure', async () => {
    const events = recent();
    const response = await send(meta.buildRequest(events, settingsFor({ access_token: 'expired-token' }), { now: 0 }));
    const classified = meta.classify(response, events.length);
    expect(classified.results.every((r) => !r.ok && r.error.kind === 'auth')).toBe(true);
  });

  it('never lets a malformed event pass as delivered', async () => {
    const events = recent();
    events[1] = { ...events[1]!, user: { ...hashedPageView(1).user, em: ['NOT-A-HASH'] } };
    const response = await send(meta.buildRequest(events, settingsFor(), { now: 0 }));
    const classified = meta.classify(response, events.length);
    const bad = classified.results[1];
    expect(bad?.ok === false && bad.error.kind).toBe('permanent');
    // Either the answer names the bad event and its neighbours are not refused for good, or the worker must split.
    if (!classified.wholeBatch) {
      for (const i of [0, 2]) expect(classified.results[i]?.ok === false && classified.results[i]?.error.kind).not.toBe('permanent');
    }
  });
});
