import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowSec, sha256, startSimClient, type SimClient } from './test-support.js';

// Hand-written Meta CAPI wire JSON (src/platforms/meta/README.md) against the simulator over real HTTP.

let c: SimClient;
beforeAll(async () => {
  c = await startSimClient();
});
afterAll(async () => {
  await c.close();
});

const PATH = '/v26.0/123456/events';
const EMAIL_HASH = sha256('jane.doe@example.com');

function purchase(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_name: 'Purchase',
    event_time: nowSec() - 60,
    event_id: 'order_1001',
    action_source: 'website',
    event_source_url: 'https://shop.example/checkouts/thank_you',
    user_data: {
      em: [EMAIL_HASH],
      ph: [sha256('16505551212')],
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0',
      fbc: 'fb.1.1764326000000.AbCdEf',
      fbp: 'fb.1.1764000000000.1234567890',
    },
    custom_data: { value: 59.9, currency: 'USD', contents: [{ id: 'SKU-1', quantity: 2, item_price: 29.95 }] },
    ...over,
  };
}

async function send(data: unknown[], query = '?access_token=tok') {
  return c.post(PATH + query, { data });
}

describe('meta simulator', () => {
  it('accepts a valid batch and answers events_received', async () => {
    const res = await send([purchase(), purchase({ event_id: 'order_1002', event_name: 'AddToCart', custom_data: undefined })]);
    expect(res.status).toBe(200);
    expect(res.json.events_received).toBe(2);
    expect(res.json.messages).toEqual([]);
    expect(typeof res.json.fbtrace_id).toBe('string');
  });

  it('takes the access token from the body too, and hashed keys as plain strings or with the param-builder appendix', async () => {
    const ev = purchase({ user_data: { em: EMAIL_HASH, external_id: [`${sha256('cust_42')}.AQQCAQIA`], client_user_agent: 'UA' } });
    const res = await c.post(PATH, { data: [ev], access_token: 'tok' });
    expect(res.status).toBe(200);
  });

  it('refuses a request without an access token (code 104)', async () => {
    const res = await send([purchase()], '');
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(104);
  });

  it('refuses a revoked token with code 190', async () => {
    const res = await send([purchase()], '?access_token=expired-token');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ type: 'OAuthException', code: 190 });
  });

  it('refuses the whole batch when one event is older than 7 days (100/2804003)', async () => {
    await c.request('DELETE', '/_sim/requests');
    const res = await send([purchase(), purchase({ event_id: 'old', event_time: nowSec() - 8 * 24 * 3600 })]);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({
      message: 'Invalid parameter',
      type: 'OAuthException',
      code: 100,
      error_subcode: 2804003,
      is_transient: false,
      error_user_title: 'Event Timestamp Too Old',
    });
    expect(typeof res.json.error.fbtrace_id).toBe('string');
    const stats = (await c.get('/_sim/stats')).json;
    expect(stats.totals.meta).toMatchObject({ events_accepted: 0, events_rejected: 2 });
  });

  it('refuses millisecond timestamps', async () => {
    const res = await send([purchase({ event_time: Date.now() })]);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(100);
  });

  it('refuses an unhashed email without echoing it', async () => {
    const res = await send([purchase({ user_data: { em: ['jane.doe@example.com'], client_user_agent: 'UA' } })]);
    expect(res.status).toBe(400);
    expect(res.json.error.error_user_msg).toContain('data[0].user_data.em[0]');
    expect(res.text).not.toContain('jane.doe@example.com');
  });

  it('refuses uppercase hex hashes', async () => {
    const res = await send([purchase({ user_data: { em: [EMAIL_HASH.toUpperCase()], client_user_agent: 'UA' } })]);
    expect(res.status).toBe(400);
  });

  it('requires client_user_agent on website events but not on system_generated ones', async () => {
    const noUa = { em: [EMAIL_HASH] };
    expect((await send([purchase({ user_data: noUa })])).status).toBe(400);
    expect((await send([purchase({ user_data: noUa, action_source: 'system_generated' })])).status).toBe(200);
  });

  it('refuses an event with no customer information (2804050)', async () => {
    const res = await send([purchase({ user_data: {}, action_source: 'physical_store' })]);
    expect(res.status).toBe(400);
    expect(res.json.error.error_subcode).toBe(2804050);
  });

  it('requires currency and a numeric value on Purchase', async () => {
    expect((await send([purchase({ custom_data: { value: 10 } })])).status).toBe(400);
    expect((await send([purchase({ custom_data: { value: '10.00', currency: 'USD' } })])).status).toBe(400);
  });

  it('checks action_source, fbc and fbp syntax', async () => {
    expect((await send([purchase({ action_source: 'web' })])).status).toBe(400);
    const ud = purchase().user_data as Record<string, unknown>;
    expect((await send([purchase({ user_data: { ...ud, fbc: 'AbCdEf' } })])).status).toBe(400);
    expect((await send([purchase({ user_data: { ...ud, fbp: 'fb.1.1764000000000.notanumber' } })])).status).toBe(400);
    expect((await send([purchase({ user_data: { ...ud, fbc: 'fb.1.1764326000000.AbCdEf.AQQCAQIA' } })])).status).toBe(200);
  });

  it('refuses empty and oversized batches', async () => {
    expect((await send([])).status).toBe(400);
    const big = Array.from({ length: 1001 }, (_, i) => purchase({ event_id: `e${i}` }));
    const res = await send(big);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(100);
  });
});
