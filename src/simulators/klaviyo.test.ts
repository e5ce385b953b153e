import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, startSimClient, type SimClient } from './test-support.js';

// Hand-written Klaviyo Create Event wire JSON (src/platforms/klaviyo/README.md) against the simulator over real HTTP.

let c: SimClient;
beforeAll(async () => {
  c = await startSimClient();
});
afterAll(async () => {
  await c.close();
});

const PATH = '/api/events';
const HEADERS = { Authorization: 'Klaviyo-API-Key pk_test', revision: '2026-04-15' };

function body(attrs: Record<string, unknown> = {}, profile: Record<string, unknown> = { email: 'bob@example.com', phone_number: '+16136120707', external_id: '207119551' }) {
  return {
    data: {
      type: 'event',
      attributes: {
        properties: { order_id: '1001' },
        time: '2026-01-10T11:00:00-05:00',
        value: 598.94,
        value_currency: 'USD',
        unique_id: 'shopify-order-450789469',
        metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
        profile: { data: { type: 'profile', attributes: profile } },
        ...attrs,
      },
    },
  };
}

describe('klaviyo simulator', () => {
  it('accepts a valid event with 202 and an empty body', async () => {
    const res = await c.post(PATH, body(), HEADERS);
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
  });

  it('accepts the JSON:API media type', async () => {
    const res = await c.request('POST', PATH, { body: body(), headers: { ...HEADERS, 'content-type': 'application/vnd.api+json' } });
    expect(res.status).toBe(202);
  });

  it('needs the Klaviyo-API-Key scheme and a revision header', async () => {
    const noKey = await c.post(PATH, body(), { revision: '2026-04-15', Authorization: 'Bearer pk_test' });
    expect(noKey.status).toBe(401);
    expect(noKey.json.errors[0]).toMatchObject({ status: 401, code: 'not_authenticated' });
    const noRevision = await c.post(PATH, body(), { Authorization: 'Klaviyo-API-Key pk_test' });
    expect(noRevision.status).toBe(400);
    expect(noRevision.json.errors[0].code).toBe('invalid');
  });

  it('refuses a hashed email with a JSON:API error pointing at it, without echoing it', async () => {
    const hashed = sha256('bob@example.com');
    const res = await c.post(PATH, body({}, { email: hashed }), HEADERS);
    expect(res.status).toBe(400);
    const err = res.json.errors[0];
    expect(err).toMatchObject({ status: 400, code: 'invalid', source: { pointer: '/data/attributes/profile/data/attributes/email' } });
    expect(typeof err.id).toBe('string');
    expect(typeof err.title).toBe('string');
    expect(res.text).not.toContain(hashed);
  });

  it('wants phone_number in E.164', async () => {
    const res = await c.post(PATH, body({}, { phone_number: '(613) 612-0707' }), HEADERS);
    expect(res.status).toBe(400);
    expect(res.json.errors[0].source.pointer).toBe('/data/attributes/profile/data/attributes/phone_number');
  });

  it('needs at least one profile identifier', async () => {
    const res = await c.post(PATH, body({}, { first_name: 'Bob' }), HEADERS);
    expect(res.status).toBe(400);
  });

  it('checks time, value and the document types', async () => {
    expect((await c.post(PATH, body({ time: '1999-12-31T23:59:59Z' }), HEADERS)).status).toBe(400);
    expect((await c.post(PATH, body({ time: 1768060800 }), HEADERS)).status).toBe(400);
    expect((await c.post(PATH, body({ value: '598.94' }), HEADERS)).status).toBe(400);
    expect((await c.post(PATH, body({ metric: { data: { type: 'metric', attributes: {} } } }), HEADERS)).status).toBe(400);
    const wrongType = body();
    wrongType.data.type = 'events';
    expect((await c.post(PATH, wrongType, HEADERS)).status).toBe(400);
  });
});
