import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nowSec, sha256, startSimClient, type SimClient } from './test-support.js';

// The control API (/_sim/*) and the behaviour switches, over real HTTP on one port.

let c: SimClient;
beforeAll(async () => {
  c = await startSimClient();
});
afterAll(async () => {
  await c.close();
});
beforeEach(async () => {
  await c.request('DELETE', '/_sim/requests');
  await c.request('DELETE', '/_sim/behaviour');
});

const META = '/v26.0/123/events?access_token=tok';
function metaEvent(id: string) {
  return { event_name: 'Lead', event_time: nowSec(), event_id: id, action_source: 'system_generated', user_data: { em: [sha256('a@b.co')] } };
}
const TIKTOK = '/open_api/v1.3/event/track/';
const PINTEREST = '/v5/ad_accounts/549/events';
function pinEvent(id: string) {
  return { event_name: 'lead', action_source: 'web', event_time: nowSec(), event_id: id, user_data: { em: [sha256('a@b.co')] } };
}
const GOOGLE = '/v23/customers/1234567890:uploadClickConversions';
const GOOGLE_HEADERS = { Authorization: 'Bearer t', 'developer-token': 'd' };
function googleRow(orderId: string) {
  return { gclid: 'Cj0', conversionAction: 'customers/1234567890/conversionActions/1', conversionDateTime: '2026-01-10 11:00:00+00:00', orderId };
}
const KLAVIYO_HEADERS = { Authorization: 'Klaviyo-API-Key pk', revision: '2026-04-15' };
function klaviyoEvent(uniqueId: string) {
  return {
    data: {
      type: 'event',
      attributes: {
        properties: {},
        unique_id: uniqueId,
        metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
        profile: { data: { type: 'profile', attributes: { email: 'bob@example.com' } } },
      },
    },
  };
}

describe('simulator server: recording', () => {
  it('serves all five platforms on one port and records each request', async () => {
    await c.post(META, { data: [metaEvent('m1')] });
    await c.post(TIKTOK, { event_source: 'web', event_source_id: 'C1', data: [{ event: 'Lead', event_time: nowSec(), event_id: 't1' }] }, { 'Access-Token': 'x' });
    await c.post(PINTEREST, { data: [pinEvent('p1')] }, { Authorization: 'Bearer x' });
    await c.post(GOOGLE, { conversions: [googleRow('g1')], partialFailure: true }, GOOGLE_HEADERS);
    expect((await c.post('/api/events', klaviyoEvent('k1'), KLAVIYO_HEADERS)).status).toBe(202);

    const all = (await c.get('/_sim/requests')).json;
    expect(all.requests.map((r: { platform: string }) => r.platform)).toEqual(['meta', 'tiktok', 'pinterest', 'google', 'klaviyo']);
    expect(all.record).toBe('full');
    for (const p of ['meta', 'tiktok', 'pinterest', 'google', 'klaviyo']) expect(all.totals[p]).toMatchObject({ requests: 1, events_accepted: 1, events_rejected: 0 });

    const meta = (await c.get('/_sim/requests?platform=meta')).json.requests;
    expect(meta).toHaveLength(1);
    expect(meta[0]).toMatchObject({ method: 'POST', path: '/v26.0/123/events', query: { access_token: 'tok' }, status: 200, event_count: 1 });
    expect(meta[0].body.data[0].event_id).toBe('m1');
    expect(meta[0].headers['content-type']).toBe('application/json');
    expect(typeof meta[0].received_at).toBe('number');
  });

  it('clears on DELETE and switches to summary recording on request', async () => {
    await c.post(META, { data: [metaEvent('m1')] });
    expect((await c.request('DELETE', '/_sim/requests')).status).toBe(204);
    expect((await c.get('/_sim/requests')).json.requests).toEqual([]);

    expect((await c.post('/_sim/record', { mode: 'summary' })).json.record).toBe('summary');
    await c.post(META, { data: [metaEvent('m2')] });
    const [rec] = (await c.get('/_sim/requests?platform=meta')).json.requests;
    expect(rec.body).toBeUndefined();
    expect(rec.headers).toBeUndefined();
    expect(rec.event_count).toBe(1);
    await c.post('/_sim/record', { mode: 'full' });
  });

  it('refuses bad control input with a JSON error naming the field', async () => {
    const res = await c.get('/_sim/requests?platform=myspace');
    expect(res.status).toBe(400);
    expect(res.json.error.path).toBe('platform');
    const bad = await c.post('/_sim/behaviour', { platform: 'meta', mode: 'rate_limit', retry_after_s: -1 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.path).toBe('retry_after_s');
  });
});

describe('simulator server: behaviour switches', () => {
  it('rate_limit answers 429 with Retry-After and the platform body for `count` requests, and records the deadline', async () => {
    const set = await c.post('/_sim/behaviour', { platform: 'meta', mode: 'rate_limit', retry_after_s: 30, count: 2 });
    expect(set.json.active).toHaveLength(1);
    const first = await c.post(META, { data: [metaEvent('m1')] });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('30');
    expect(first.json.error.code).toBe(4);
    // Sent at once, before the 30 s deadline: recorded as early.
    const second = await c.post(META, { data: [metaEvent('m1')] });
    expect(second.status).toBe(429);
    const third = await c.post(META, { data: [metaEvent('m1')] });
    expect(third.status).toBe(200);
    expect((await c.get('/_sim/behaviour')).json.active).toEqual([]);

    const timeline = (await c.get('/_sim/timeline?platform=meta')).json.meta;
    expect(timeline.request_times_ms).toHaveLength(3);
    expect(timeline.rate_limits).toHaveLength(2);
    expect(timeline.rate_limits[0].not_before_ms).toBe(timeline.rate_limits[0].at_ms + 30_000);
    expect(timeline.early_requests).toBe(2);
    const recs = (await c.get('/_sim/requests?platform=meta')).json.requests;
    expect(recs.map((r: { behaviour?: string }) => r.behaviour)).toEqual(['rate_limit', 'rate_limit', undefined]);
    expect(recs.map((r: { before_retry_after?: boolean }) => r.before_retry_after ?? false)).toEqual([false, true, true]);
  });

  it('uses each platform\'s own rate-limit body, and `status` can mimic TikTok\'s HTTP 200', async () => {
    await c.post('/_sim/behaviour', { platform: 'all', mode: 'rate_limit', count: 1 });
    const pin = await c.post(PINTEREST, { data: [pinEvent('p')] }, { Authorization: 'Bearer x' });
    expect(pin.status).toBe(429);
    expect(pin.json.code).toBe(8);
    const google = await c.post(GOOGLE, { conversions: [googleRow('g')], partialFailure: true }, GOOGLE_HEADERS);
    expect(google.json.error.status).toBe('RESOURCE_EXHAUSTED');
    const klaviyo = await c.post('/api/events', klaviyoEvent('k'), KLAVIYO_HEADERS);
    expect(klaviyo.json.errors[0].code).toBe('throttled');

    await c.post('/_sim/behaviour', { platform: 'tiktok', mode: 'rate_limit', status: 200, count: 1 });
    const tiktok = await c.post(TIKTOK, { event_source: 'web', event_source_id: 'C1', data: [{ event: 'Lead', event_time: nowSec() }] }, { 'Access-Token': 'x' });
    expect(tiktok.status).toBe(200);
    expect(tiktok.json.code).toBe(40100);
  });

  it('server_error answers 503 until until_ms', async () => {
    await c.post('/_sim/behaviour', { platform: 'pinterest', mode: 'server_error', until_ms: Date.now() + 60_000 });
    const res = await c.post(PINTEREST, { data: [pinEvent('p')] }, { Authorization: 'Bearer x' });
    expect(res.status).toBe(503);
    expect(res.json.code).toBe(4197);
    await c.post('/_sim/behaviour', { platform: 'pinterest', mode: 'server_error', until_ms: Date.now() - 1 });
    expect((await c.post(PINTEREST, { data: [pinEvent('p')] }, { Authorization: 'Bearer x' })).status).toBe(200);
  });

  it('slow still answers normally and marks the record', async () => {
    await c.post('/_sim/behaviour', { platform: 'klaviyo', mode: 'slow', delay_ms: 20, count: 1 });
    expect((await c.post('/api/events', klaviyoEvent('k'), KLAVIYO_HEADERS)).status).toBe(202);
    const [rec] = (await c.get('/_sim/requests?platform=klaviyo')).json.requests;
    expect(rec.behaviour).toBe('slow');
  });

  it('reject_events refuses the listed ids in each platform\'s own way, counting only requests that carry them', async () => {
    await c.post('/_sim/behaviour', { platform: 'meta', mode: 'reject_events', event_ids: ['bad'], count: 1 });
    expect((await c.post(META, { data: [metaEvent('fine')] })).status).toBe(200);
    const refused = await c.post(META, { data: [metaEvent('fine'), metaEvent('bad')] });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe(100);
    expect((await c.post(META, { data: [metaEvent('fine'), metaEvent('bad')] })).status).toBe(200);

    await c.post('/_sim/behaviour', { platform: 'pinterest', mode: 'reject_events', event_ids: ['bad'] });
    const pin = await c.post(PINTEREST, { data: [pinEvent('ok'), pinEvent('bad')] }, { Authorization: 'Bearer x' });
    expect(pin.status).toBe(422);
    expect(pin.json.details.events.map((e: { status: string }) => e.status)).toEqual(['processed', 'failed']);

    await c.post('/_sim/behaviour', { platform: 'google', mode: 'reject_events', event_ids: ['o2'] });
    const google = await c.post(GOOGLE, { conversions: [googleRow('o1'), googleRow('o2')], partialFailure: true }, GOOGLE_HEADERS);
    expect(google.status).toBe(200);
    expect(google.json.partialFailureError.details[0].errors[0].location.fieldPathElements[0]).toEqual({ fieldName: 'conversions', index: 1 });

    await c.post('/_sim/behaviour', { platform: 'tiktok', mode: 'reject_events' });
    const tiktok = await c.post(TIKTOK, { event_source: 'web', event_source_id: 'C1', data: [{ event: 'Lead', event_time: nowSec(), event_id: 'any' }] }, { 'Access-Token': 'x' });
    expect(tiktok.json.code).toBe(40002);

    await c.post('/_sim/behaviour', { platform: 'klaviyo', mode: 'reject_events', event_ids: ['k-bad'] });
    expect((await c.post('/api/events', klaviyoEvent('k-ok'), KLAVIYO_HEADERS)).status).toBe(202);
    expect((await c.post('/api/events', klaviyoEvent('k-bad'), KLAVIYO_HEADERS)).status).toBe(400);
  });
});
