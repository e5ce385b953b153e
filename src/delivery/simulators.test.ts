import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCanonicalEvent } from '../event/parse.js';
import { hashOnce } from '../identity/hash-once.js';
import { openStore } from '../outbox/open.js';
import type { OutboxStore } from '../outbox/types.js';
import { PLATFORMS } from '../platforms/registry.js';
import type { CommonSettings } from '../platforms/types.js';
import { startSimulators, type RunningSimulators } from '../simulators/server.js';
import { planDeliveries } from './plan.js';
import { startDeliveryWorker } from './worker.js';

// The worker against the real platform builders and the platform simulators, over real HTTP.

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function canonical(i: number, eventId = `order_${1000 + i}`) {
  return parseCanonicalEvent({
    event_id: eventId,
    event_name: 'purchase',
    event_time: Math.floor(Date.now() / 1000) - 60,
    action_source: 'website',
    event_source_url: 'https://shop.example/checkouts/thank_you',
    user: {
      email: `shopper${i}@example.com`,
      phone: '+16505551212',
      first_name: 'Jane',
      last_name: 'Doe',
      city: 'Menlo Park',
      state: 'CA',
      zip: '94025',
      country: 'US',
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)',
      gclid: `Cj0KCQiA${i}abcdefgh`,
    },
    commerce: { value: 59.9, currency: 'USD', order_id: String(1000 + i), items: [{ id: 'SKU-1', name: 'Mug', quantity: 2, price: 29.95 }] },
  });
}

describe('delivery worker against the simulators', () => {
  let sim: RunningSimulators;
  let store: OutboxStore;
  let dir: string;
  let destinations: CommonSettings[];
  beforeAll(async () => {
    sim = await startSimulators({ port: 0, record: 'full' });
    dir = mkdtempSync(join(tmpdir(), 'mk-worker-sim-'));
    store = await openStore(`sqlite:${join(dir, 'outbox.db')}`, { secretKey: randomBytes(32) });
    const raw = [
      { id: 'meta', platform: 'meta', pixel_id: '123456', access_token: 'tok' },
      { id: 'tiktok', platform: 'tiktok', pixel_code: 'C123ABC', access_token: 'tok' },
      { id: 'pinterest', platform: 'pinterest', ad_account_id: '549', access_token: 'tok' },
      { id: 'klaviyo', platform: 'klaviyo', api_key: 'pk_test' },
      {
        id: 'google',
        platform: 'google',
        customer_id: '1234567890',
        conversion_actions: { purchase: '987' },
        oauth: { client_id: 'client', client_secret: 'secret', refresh_token: 'refresh' },
        status_check_after_sec: 0,
      },
      {
        id: 'google-ads',
        platform: 'google',
        api: 'google_ads',
        customer_id: '1234567890',
        developer_token: 'dev-token',
        conversion_actions: { purchase: '987' },
        oauth: { client_id: 'client', client_secret: 'secret', refresh_token: 'refresh' },
      },
    ];
    destinations = raw.map((r) => PLATFORMS[r.platform as CommonSettings['platform']].settingsSchema.parse({ ...r, base_url: sim.url }) as CommonSettings);
  });
  afterAll(async () => {
    await store?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers to every platform (Google through its OAuth token), isolates a poison Meta event, and honours a TikTok Retry-After', async () => {
    const control = async (body: unknown) => {
      const res = await fetch(`${sim.url}/_sim/behaviour`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
    };
    await control({ platform: 'meta', mode: 'reject_events', event_ids: ['order_poison'] });
    await control({ platform: 'tiktok', mode: 'rate_limit', retry_after_s: 2, count: 1 });

    const events = [...Array.from({ length: 150 }, (_, i) => canonical(i)), canonical(999, 'order_poison')];
    await store.ingest(
      events.map((c) => {
        const event = hashOnce(c);
        return { event, source: 'api' as const, test: false, deliveries: planDeliveries(event, destinations, { test: false, source: 'api' }) };
      }),
    );
    const worker = startDeliveryWorker({ store, destinations, delivery: { max_attempts: 12, max_hours: 24, request_timeout_ms: 5000 } });
    try {
      await waitFor(async () => {
        const c = await store.counts(Date.now());
        return c.every((d) => d.pending === 0 && d.retrying === 0);
      }, 'every row to settle');
    } finally {
      await worker.stop();
    }
    const counts = Object.fromEntries((await store.counts(Date.now())).map((c) => [c.destination_id, c]));
    expect(counts.meta).toMatchObject({ delivered: 150, rejected: 1, dead: 0 });
    expect(counts.tiktok).toMatchObject({ delivered: 151, rejected: 0, dead: 0 });
    expect(counts.pinterest).toMatchObject({ delivered: 151, rejected: 0 });
    expect(counts.klaviyo).toMatchObject({ delivered: 151, rejected: 0 });
    expect(counts.google).toMatchObject({ delivered: 151, rejected: 0 });
    expect(counts['google-ads']).toMatchObject({ delivered: 151, rejected: 0 });
    // Data Manager: every accepted request was followed by its requestStatus check.
    const requests = (await (await fetch(`${sim.url}/_sim/requests?platform=google&limit=1000`)).json()) as { requests: { path: string }[] };
    expect(requests.requests.some((r) => r.path === '/v1/events:ingest')).toBe(true);

    const timeline = (await (await fetch(`${sim.url}/_sim/timeline?platform=tiktok`)).json()) as { tiktok: { rate_limits: unknown[]; early_requests: number } };
    expect(timeline.tiktok.rate_limits).toHaveLength(1);
    expect(timeline.tiktok.early_requests).toBe(0);
  });

  it('Google Data Manager: a 200 is not the end — an event Google fails to process becomes a visible rejected delivery', async () => {
    const google = destinations.filter((d) => d.id === 'google');
    await fetch(`${sim.url}/_sim/behaviour`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'google', mode: 'reject_events', event_ids: ['6001', '6003'], count: 2 }) });
    const ingest = async (ids: number[]) =>
      store.ingest(
        ids.map((i) => {
          const event = hashOnce(canonical(i, `order_${i}`));
          return { event, source: 'api' as const, test: false, deliveries: planDeliveries(event, google, { test: false, source: 'api' }) };
        }),
      );
    const settle = async (eventId: string) =>
      waitFor(async () => {
        const [found] = await store.inspectEvents!(eventId);
        return found?.deliveries[0]?.status !== undefined && found.deliveries[0].status !== 'pending';
      }, `${eventId} to settle`);
    const worker = startDeliveryWorker({ store, destinations: google, delivery: { max_attempts: 12, max_hours: 24, request_timeout_ms: 5000 } });
    try {
      // canonical(i) has order id 1000 + i: the transactionId the switch names. Alone in its request, Google's
    // requestStatus says FAILED for it.
      await ingest([5001]);
      await settle('order_5001');
      // With two others: PARTIAL_SUCCESS, 1 of 3 — Google does not say which, so all stay delivered with a note.
      await ingest([5002, 5003, 5004]);
      await settle('order_5002');
      await settle('order_5003');
      await settle('order_5004');
    } finally {
      await worker.stop();
    }
    const [rejected] = await store.inspectEvents!('order_5001');
    expect(rejected!.deliveries[0]).toMatchObject({
      status: 'rejected',
      error_code: 'PROCESSING_ERROR_REASON_INVALID_GCLID',
      error_message: expect.stringMatching(/^Google processed the request and refused it \(FAILED\): PROCESSING_ERROR_REASON_INVALID_GCLID ×1 \(request [0-9a-f]{32}\)$/),
    });
    expect(rejected!.deliveries[0]!.attempt_log).toEqual([expect.objectContaining({ http_status: 200, outcome: 'permanent', platform_code: 'PROCESSING_ERROR_REASON_INVALID_GCLID' })]);
    const [partial] = await store.inspectEvents!('order_5003');
    expect(partial!.deliveries[0]).toMatchObject({ status: 'delivered' });
    expect(partial!.deliveries[0]!.attempt_log[0]!.message).toMatch(/1 of 3 events of this conversion action failed \(PROCESSING_ERROR_REASON_INVALID_GCLID ×1\); Google does not say which/);
    const counts = (await store.counts(Date.now())).find((c) => c.destination_id === 'google');
    expect(counts).toMatchObject({ rejected: 1 });
  });

  it('Google Data Manager: a gateway stopping before the status check records the accepted rows as delivered, unconfirmed', async () => {
    const google = [{ ...destinations.find((d) => d.id === 'google')!, status_check_after_sec: 3600 } as CommonSettings];
    const event = hashOnce(canonical(7001, 'order_7001'));
    await store.ingest([{ event, source: 'api', test: false, deliveries: planDeliveries(event, google, { test: false, source: 'api' }) }]);
    const seen = async () => {
      const r = (await (await fetch(`${sim.url}/_sim/requests?platform=google&limit=1000`)).json()) as { requests: { path: string; body: unknown }[] };
      return r.requests.some((q) => q.path === '/v1/events:ingest' && JSON.stringify(q.body).includes('"transactionId":"8001"'));
    };
    const worker = startDeliveryWorker({ store, destinations: google, delivery: { max_attempts: 12, max_hours: 24, request_timeout_ms: 5000 } });
    try {
      await waitFor(seen, 'the ingest request');
      const [waiting] = await store.inspectEvents!('order_7001');
      expect(waiting!.deliveries[0]!.status).toBe('pending'); // accepted, held for its status check
    } finally {
      await worker.stop();
    }
    const [stopped] = await store.inspectEvents!('order_7001');
    expect(stopped!.deliveries[0]).toMatchObject({ status: 'delivered' });
    expect(stopped!.deliveries[0]!.attempt_log[0]!.message).toMatch(/^accepted as request [0-9a-f]{32}; processing not confirmed \(the gateway stopped before the check\)$/);
  });
});
