import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowSec, sha256, startSimClient, type SimClient } from './test-support.js';

// Hand-written Pinterest Conversions API v5 wire JSON (src/platforms/pinterest/README.md) against the simulator over
// real HTTP.

let c: SimClient;
beforeAll(async () => {
  c = await startSimClient();
});
afterAll(async () => {
  await c.close();
});

const PATH = '/v5/ad_accounts/549/events';
const AUTH = { Authorization: 'Bearer pin-token' };

function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_name: 'checkout',
    action_source: 'web',
    event_time: nowSec() - 30,
    event_id: 'order_1001',
    event_source_url: 'https://shop.example/checkouts/thank_you',
    user_data: {
      em: [sha256('jane.doe@example.com')],
      ph: [sha256('16505551212')],
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0',
      click_id: 'dj0yabc',
    },
    custom_data: { currency: 'USD', value: '59.90', order_id: '1001', contents: [{ id: 'SKU-1', item_price: '29.95', quantity: 2 }] },
    ...over,
  };
}

describe('pinterest simulator', () => {
  it('accepts a valid batch (also with ?test=true)', async () => {
    const res = await c.post(`${PATH}?test=true`, { data: [event(), event({ event_id: 'order_1002' })] }, AUTH);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      num_events_received: 2,
      num_events_processed: 2,
      events: [
        { status: 'processed', error_message: null, warning_message: null },
        { status: 'processed', error_message: null, warning_message: null },
      ],
    });
  });

  it('needs a Bearer token (401 code 2)', async () => {
    const res = await c.post(PATH, { data: [event()] });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ code: 2, message: 'Authentication failed.' });
  });

  it('answers 422 with per-event statuses when some events fail (value must be a string)', async () => {
    await c.request('DELETE', '/_sim/requests');
    const res = await c.post(PATH, { data: [event(), event({ event_id: 'b', custom_data: { value: 59.9, currency: 'USD' } })] }, AUTH);
    expect(res.status).toBe(422);
    expect(typeof res.json.code).toBe('number');
    expect(res.json.details.num_events_received).toBe(2);
    expect(res.json.details.num_events_processed).toBe(1);
    expect(res.json.details.events[0].status).toBe('processed');
    expect(res.json.details.events[1].status).toBe('failed');
    expect(res.json.details.events[1].error_message).toContain('custom_data.value');
    const stats = (await c.get('/_sim/stats')).json.totals.pinterest;
    expect(stats).toMatchObject({ events_accepted: 1, events_rejected: 1 });
  });

  it('wants every hashed key as an array and item_price as a string', async () => {
    const ud = event().user_data as Record<string, unknown>;
    const res = await c.post(PATH, {
      data: [
        event({ user_data: { ...ud, em: sha256('jane.doe@example.com') } }),
        event({ custom_data: { value: '1.00', contents: [{ id: 'x', item_price: 29.95 }] } }),
      ],
    }, AUTH);
    expect(res.status).toBe(422);
    expect(res.json.details.events.map((e: { status: string }) => e.status)).toEqual(['failed', 'failed']);
    expect(res.json.details.events[0].error_message).toContain('user_data.em');
    expect(res.json.details.events[1].error_message).toContain('item_price');
  });

  it('checks event_name against the fixed enum and requires event_id', async () => {
    const res = await c.post(PATH, { data: [event({ event_name: 'Purchase' }), event({ event_id: undefined })] }, AUTH);
    expect(res.status).toBe(422);
    expect(res.json.details.events[0].error_message).toContain('event_name');
    expect(res.json.details.events[1].error_message).toContain('event_id');
  });

  it('needs em, hashed_maids, or ip together with user agent', async () => {
    const ipOnly = event({ user_data: { client_ip_address: '203.0.113.7' } });
    const ipAndUa = event({ event_id: 'x', user_data: { client_ip_address: '203.0.113.7', client_user_agent: 'UA' } });
    const res = await c.post(PATH, { data: [ipOnly, ipAndUa] }, AUTH);
    expect(res.status).toBe(422);
    expect(res.json.details.events.map((e: { status: string }) => e.status)).toEqual(['failed', 'processed']);
  });

  it('refuses a malformed body and batches over 1000 with 400', async () => {
    expect((await c.post(PATH, { events: [] }, AUTH)).status).toBe(400);
    const big = Array.from({ length: 1001 }, (_, i) => event({ event_id: `e${i}` }));
    const res = await c.post(PATH, { data: big }, AUTH);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe(4196);
  });
});
