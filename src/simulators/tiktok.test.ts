import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowSec, sha256, startSimClient, type SimClient } from './test-support.js';

// Hand-written TikTok Events API 2.0 wire JSON (src/platforms/tiktok/README.md) against the simulator over real HTTP.

let c: SimClient;
beforeAll(async () => {
  c = await startSimClient();
});
afterAll(async () => {
  await c.close();
});

const PATH = '/open_api/v1.3/event/track/';
const AUTH = { 'Access-Token': 'tt-token' };

function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: 'Purchase',
    event_time: nowSec() - 30,
    event_id: 'order_1001',
    user: {
      email: sha256('jane.doe@example.com'),
      phone: [sha256('+16505551212')],
      external_id: sha256('cust_42'),
      ttclid: 'E.C.P.xyz',
      ttp: '2Xyabc',
      ip: '203.0.113.7',
      user_agent: 'Mozilla/5.0',
    },
    page: { url: 'https://shop.example/checkouts/thank_you', referrer: 'https://www.tiktok.com/' },
    properties: { value: 59.9, currency: 'USD', content_type: 'product', contents: [{ content_id: 'SKU-1', price: 29.95, quantity: 2 }] },
    ...over,
  };
}

function body(data: unknown[], over: Record<string, unknown> = {}) {
  return { event_source: 'web', event_source_id: 'C123', data, ...over };
}

describe('tiktok simulator', () => {
  it('accepts a valid batch: HTTP 200, code 0', async () => {
    const res = await c.post(PATH, body([event(), event({ event_id: 'order_1002' })]), AUTH);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ code: 0, message: 'OK', data: {} });
    expect(typeof res.json.request_id).toBe('string');
  });

  it('answers a missing or revoked Access-Token with HTTP 200 and a non-zero code', async () => {
    const missing = await c.post(PATH, body([event()]));
    expect(missing.status).toBe(200);
    expect(missing.json.code).toBe(40104);
    const revoked = await c.post(PATH, body([event()]), { 'Access-Token': 'invalid-x' });
    expect(revoked.json.code).toBe(40105);
  });

  it('reports an invalid parameter as 40002 with the field path', async () => {
    const res = await c.post(PATH, body([event(), event({ properties: { contents: [{ content_id: 123 }] } })]), AUTH);
    expect(res.status).toBe(200);
    expect(res.json.code).toBe(40002);
    expect(res.json.message).toBe('data.1.properties.contents.0.content_id: Not a valid string.');
  });

  it('refuses an unhashed phone without echoing it', async () => {
    const res = await c.post(PATH, body([event({ user: { phone: '+16505551212' } })]), AUTH);
    expect(res.json.code).toBe(40002);
    expect(res.json.message).toContain('data.0.user.phone');
    expect(res.text).not.toContain('6505551212');
  });

  it('wants event_time in seconds', async () => {
    const res = await c.post(PATH, body([event({ event_time: Date.now() })]), AUTH);
    expect(res.json.code).toBe(40002);
    expect(res.json.message).toContain('data.0.event_time');
  });

  it('checks event_source, event_source_id and the batch size', async () => {
    expect((await c.post(PATH, body([event()], { event_source: 'website' }), AUTH)).json.code).toBe(40002);
    expect((await c.post(PATH, body([event()], { event_source_id: undefined }), AUTH)).json.code).toBe(40002);
    expect((await c.post(PATH, body([]), AUTH)).json.code).toBe(40002);
    const big = Array.from({ length: 1001 }, (_, i) => event({ event_id: `e${i}` }));
    expect((await c.post(PATH, body(big), AUTH)).json.code).toBe(40002);
  });

  it('has no route without the trailing slash, and records the miss', async () => {
    await c.request('DELETE', '/_sim/requests');
    const res = await c.post(PATH.slice(0, -1), body([event()]), AUTH);
    expect(res.status).toBe(404);
    const recorded = (await c.get('/_sim/requests')).json.requests;
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ platform: null, path: '/open_api/v1.3/event/track', status: 404 });
  });
});
