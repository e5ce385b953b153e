import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  configObject,
  countRows,
  deliveryRows,
  destinationsFor,
  postEvents,
  purchase,
  startInProcess,
  startSim,
  tempDir,
  waitFor,
  type InProcessGateway,
  type Sim,
} from './harness.js';

// POST /v1/events and the other HTTP faces, over real HTTP (README.md, docs/DIAGNOSTICS.md; error shape in
// src/server/http-error.ts).

describe('POST /v1/events', () => {
  let sim: Sim;
  let gw: InProcessGateway;

  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir();
    gw = await startInProcess(dir, configObject(dir, destinationsFor(sim.url, ['meta', 'tiktok'])));
  });
  afterAll(async () => {
    await gw?.close();
    await sim?.close();
  });

  it('acknowledges one event and a batch with 202 and their event ids, after storing them', async () => {
    const one = await postEvents(gw.url, purchase('single_1'));
    expect(one).toEqual({ status: 202, body: { accepted: 1, duplicates: 0, event_ids: ['single_1'], results: [{ event_id: 'single_1', status: 'stored' }] } });
    const batch = await postEvents(gw.url, { events: [purchase('batch_1'), purchase('batch_2'), { event_name: 'purchase', event_time: Math.floor(Date.now() / 1000), commerce: { order_id: '555', currency: 'USD' } }] });
    expect(batch).toMatchObject({ status: 202, body: { accepted: 3, duplicates: 0, event_ids: ['batch_1', 'batch_2', 'order_555'] } });
    const stored = new Set(deliveryRows(gw.dbPath).map((r) => r.event_id));
    for (const id of ['single_1', 'batch_1', 'batch_2', 'order_555']) expect(stored.has(id)).toBe(true);
  });

  it('reports a batch carrying one event_id three times as one event stored and two duplicates', async () => {
    const res = await postEvents(gw.url, { events: [purchase('thrice'), purchase('thrice'), purchase('thrice')] });
    expect(res).toEqual({
      status: 202,
      body: {
        accepted: 1,
        duplicates: 2,
        event_ids: ['thrice', 'thrice', 'thrice'],
        results: [
          { event_id: 'thrice', status: 'stored' },
          { event_id: 'thrice', status: 'duplicate' },
          { event_id: 'thrice', status: 'duplicate' },
        ],
      },
    });
    // Sent again later: a duplicate, said so.
    expect((await postEvents(gw.url, purchase('thrice'))).body).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('refuses a batch with one invalid event whole, naming the event index and field, storing nothing', async () => {
    const before = countRows(gw.dbPath, 'events');
    const bad = { ...purchase('bad_2'), user: { email: 'x@example.com', lastName: 'Doe' } };
    const res = await postEvents(gw.url, { events: [purchase('ok_0'), purchase('ok_1'), bad, purchase('ok_3')] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'unknown_field', path: 'events.2.user' });
    expect(res.body.error.message).toContain('last_name');
    const time = await postEvents(gw.url, { events: [purchase('ok_4'), { ...purchase('bad_t'), event_time: 1764326400000 }] });
    expect(time.status).toBe(400);
    expect(time.body.error.path).toBe('events.1.event_time');
    expect(countRows(gw.dbPath, 'events')).toBe(before);
  });

  it('answers 401 without a valid api key, before reading the body', async () => {
    const none = await postEvents(gw.url, purchase('unauth'), { authorization: '' });
    const wrong = await postEvents(gw.url, purchase('unauth'), { authorization: 'Bearer wrong-key-0123456789' });
    const big = await postEvents(gw.url, 'x'.repeat(2 * 1024 * 1024), { authorization: 'Bearer nope' });
    for (const res of [none, wrong, big]) expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  });

  it('answers 413 for bodies over the limits and 415 for non-JSON, with the JSON error shape', async () => {
    const huge = purchase('huge', { extra: { custom_data: { blob: 'x'.repeat(1100 * 1024) } } });
    const single = await postEvents(gw.url, huge);
    expect(single.status).toBe(413);
    expect(single.body.error.code).toBe('body_too_large');
    const overBatch = await postEvents(gw.url, { events: Array.from({ length: 12 }, (_, i) => purchase(`b${i}`, { extra: { custom_data: { blob: 'x'.repeat(1024 * 1024) } } })) });
    expect(overBatch.status).toBe(413);
    const text = await postEvents(gw.url, 'event_name=purchase', { 'content-type': 'text/plain' });
    expect(text).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    const form = await postEvents(gw.url, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });

  it('answers 400 to malformed input and keeps serving', async () => {
    const cases: [string, string][] = [
      ['{"event_name":', 'invalid_json'],
      ['', 'invalid_json'],
      ['[1,2]', 'invalid_input'],
      ['"purchase"', 'invalid_type'],
      ['{"events":"nope"}', 'invalid_input'],
      ['{"events":[]}', 'invalid_input'],
      ['{"event_name":"purchase","event_time":1764326400,"__proto__":{"admin":true}}', 'forbidden_key'],
      ['{"events":[{"event_name":"purchase","event_time":1764326400,"custom_data":{"constructor":{"prototype":{"x":1}}}}]}', 'forbidden_key'],
    ];
    for (const [body, code] of cases) {
      const res = await postEvents(gw.url, body);
      expect(res.status, body).toBe(400);
      expect(typeof res.body.error.message).toBe('string');
      if (code !== 'invalid_type') expect(res.body.error.code, body).toBe(code);
    }
    const tooMany = await postEvents(gw.url, { events: Array.from({ length: 1001 }, (_, i) => purchase(`m${i}`)) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'too_many_events', path: 'events' });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect((await postEvents(gw.url, purchase('still_alive'))).status).toBe(202);
  });

  it('answers 503 to new events while shutting down', async () => {
    gw.app.gateway.state.accepting = false;
    try {
      const res = await postEvents(gw.url, purchase('during_shutdown'));
      expect(res).toMatchObject({ status: 503, body: { error: { code: 'shutting_down' } } });
      expect((await fetch(`${gw.url}/healthz`)).status).toBe(503);
    } finally {
      gw.app.gateway.state.accepting = true;
    }
  });

  it('serves /healthz and Prometheus /metrics with events in and deliveries by platform and status', async () => {
    expect(await (await fetch(`${gw.url}/healthz`)).json()).toEqual({ status: 'ok' });
    await waitFor('deliveries to settle', () => deliveryRows(gw.dbPath).every((r) => r.status !== 'pending'));
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(/matchkey_events_in_total\{source="api"\} \d+/);
    expect(text).toMatch(/matchkey_deliveries\{destination="meta",platform="meta",status="delivered"\} [1-9]/);
    expect(text).toMatch(/matchkey_queue_depth\{destination="tiktok",platform="tiktok"\} 0/);
    expect(text).toContain('matchkey_oldest_pending_age_seconds');
    expect(text).toMatch(/matchkey_delivery_attempt_duration_seconds_count\{platform="meta",outcome="[a-z_]+"\} [1-9]/);
  });

  it('re-queues dead or rejected deliveries through the admin API', async () => {
    const url = `${gw.url}/api/deliveries/replay`;
    const post = (body: unknown, token?: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    expect((await post({ status: 'dead' })).status).toBe(401);
    expect((await post({ status: 'dead' }, 'test-ingest-key-0123456789')).status).toBe(401);
    const bad = await post({ status: 'lost' }, ADMIN_TOKEN);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.path).toBe('status');
    const ok = await post({ status: 'rejected', destination_id: 'meta', since: '2026-01-01T00:00:00Z' }, ADMIN_TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ replayed: 0 });
  });

  it('mounts the reconcile and diagnostics faces of the admin API behind the admin token', async () => {
    for (const path of ['/api/reconcile', '/api/diagnostics']) {
      expect((await fetch(`${gw.url}${path}`)).status, path).toBe(401);
      const res = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
    }
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await fetch(`${gw.url}/nope?email=someone@example.com`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as any;
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).not.toContain('someone');
  });
});
