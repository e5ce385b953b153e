import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configObject,
  countRows,
  deliveryRows,
  destinationsFor,
  fixture,
  freshOrder,
  postShopify,
  sha256,
  simBehaviour,
  simUploads,
  startInProcess,
  startSim,
  tempDir,
  waitFor,
  SHOPIFY_OLD_SECRET,
  type InProcessGateway,
  type Sim,
  type SimRecord,
} from './harness.js';

// Shopify order webhooks through HTTP to the five platform simulators.

const PLATFORMS = ['meta', 'tiktok', 'pinterest', 'google', 'klaviyo'] as const;
const mentions = (records: SimRecord[], needle: string): SimRecord[] => records.filter((r) => r.status < 300 && JSON.stringify(r.body).includes(needle));

describe('Shopify webhooks end to end', () => {
  let sim: Sim;
  let gw: InProcessGateway;

  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir();
    gw = await startInProcess(dir, configObject(dir, destinationsFor(sim.url)));
  });
  afterAll(async () => {
    await gw?.close();
    await sim?.close();
  });

  it('turns orders/paid into one purchase at every platform, hashed per platform, with the shopper IP and UA', async () => {
    const order = freshOrder('orders-paid.json');
    const res = await postShopify(gw.url, order.raw, { topic: 'orders/paid', webhookId: 'wh-paid-1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, duplicate: false, event_id: 'order_5830042910001' });

    const email = 'zelphine.quorvath@example.com';
    const sent: Record<string, any> = {};
    for (const platform of PLATFORMS) {
      const [request] = await waitFor(`${platform} to receive the order`, async () => {
        const found = mentions(await simUploads(sim, platform), '5830042910001');
        return found.length > 0 ? found : undefined;
      });
      expect(request!.status).toBeLessThan(300);
      sent[platform] = request!.body;
      // The caller of the webhook is 127.0.0.1 here; that address must never be sent as the shopper's.
      expect(JSON.stringify(request!.body)).not.toContain('127.0.0.1');
    }

    const meta = sent.meta.data[0];
    expect(meta).toMatchObject({ event_name: 'Purchase', event_id: 'order_5830042910001', action_source: 'website' });
    expect(meta.event_time).toBe(Date.parse(order.processedAt) / 1000);
    expect([meta.user_data.em].flat()).toEqual([sha256(email)]);
    expect([meta.user_data.ph].flat()).toEqual([sha256('15024592181')]); // billing "(502) 459-2181" read as US
    expect([meta.user_data.fn].flat()).toEqual([sha256('zelphine')]);
    expect([meta.user_data.st].flat()).toEqual([sha256('ky')]);
    expect([meta.user_data.zp].flat()).toEqual([sha256('40202')]);
    expect([meta.user_data.external_id].flat()).toEqual([sha256('7012345678901')]);
    expect(meta.user_data.client_ip_address).toBe('198.51.100.23');
    expect(meta.user_data.client_user_agent).toMatch(/^Mozilla\/5\.0 \(iPhone/);
    expect(meta.user_data.fbp).toBe('fb.1.1764000000000.1234567890');
    expect(meta.user_data.fbc).toMatch(/^fb\.1\.\d{13}\.IwAR2xQ_TestClickIdAbC$/);
    expect(meta.custom_data).toMatchObject({ value: 598.94, currency: 'USD', order_id: '5830042910001' });

    const tiktok = sent.tiktok.data[0];
    expect(tiktok).toMatchObject({ event: 'Purchase', event_id: 'order_5830042910001' });
    expect(tiktok.user.email).toEqual(expect.arrayContaining([sha256(email)]));
    expect([tiktok.user.phone].flat()).toEqual([sha256('+15024592181')]);
    expect(tiktok.user).toMatchObject({ ip: '198.51.100.23', ttp: '2XyTtpCookieValue01' });

    const pinterest = sent.pinterest.data[0];
    expect(pinterest).toMatchObject({ event_name: 'checkout', event_id: 'order_5830042910001' });
    expect(pinterest.user_data).toMatchObject({ em: [sha256(email)], ph: [sha256('15024592181')], client_ip_address: '198.51.100.23' });
    expect(pinterest.custom_data.value).toBe('598.94');

    const google = sent.google.events[0];
    expect(google.adIdentifiers.gclid).toBe('Cj0KCQiA_gclidValue');
    expect(google.conversionValue).toBe(598.94);
    const identifiers = JSON.stringify(google.userData.userIdentifiers);
    expect(identifiers).toContain(sha256(email));
    expect(identifiers).toContain(sha256('+15024592181'));
    expect(JSON.stringify(sent.google)).not.toContain('"validateOnly":true');

    const klaviyo = sent.klaviyo.data.attributes;
    expect(klaviyo.metric.data.attributes.name).toBe('Placed Order');
    expect(klaviyo.profile.data.attributes).toMatchObject({ email, phone_number: '+15024592181' });
    expect(klaviyo.value).toBe(598.94);
  });

  it('refuses a forged or missing signature with 401 and stores nothing', async () => {
    const body = freshOrder('orders-paid-intl.json', { id: 5830042919999 }).raw;
    const forged = await postShopify(gw.url, body, { topic: 'orders/paid', webhookId: 'wh-forged', secret: 'not-the-secret' });
    const missing = await postShopify(gw.url, body, { topic: 'orders/paid', webhookId: 'wh-missing', secret: null });
    const garbage = await postShopify(gw.url, body, { topic: 'orders/paid', webhookId: 'wh-garbage', hmac: 'AAAA' });
    for (const res of [forged, missing, garbage]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_hmac');
    }
    expect(deliveryRows(gw.dbPath).filter((r) => r.event_id === 'order_5830042919999')).toEqual([]);
    // Counted on /metrics, so a wrong signing secret is an alert, not a silence.
    expect(await metricValue(gw.url, 'matchkey_shopify_webhooks_total{outcome="invalid_signature",topic="orders/paid"}')).toBeGreaterThanOrEqual(3);
    // The previous secret still verifies during a rotation.
    const rotated = await postShopify(gw.url, body, { topic: 'orders/paid', webhookId: 'wh-rotated', secret: SHOPIFY_OLD_SECRET });
    expect(rotated.status).toBe(200);
  });

  it('sends one purchase per destination for a repeated webhook and for the same order under another webhook id', async () => {
    const body = freshOrder('orders-paid-intl.json').raw;
    const first = await postShopify(gw.url, body, { topic: 'orders/paid', webhookId: 'wh-intl-1' });
    const retry = await postShopify(gw.url, body, { topic: 'orders/paid', webhookId: 'wh-intl-1' });
    const otherSubscription = await postShopify(gw.url, body, { topic: 'orders/paid', webhookId: 'wh-intl-2' });
    expect([first.status, retry.status, otherSubscription.status]).toEqual([200, 200, 200]);
    expect(first.body.duplicate).toBe(false);
    expect(retry.body.duplicate).toBe(true);

    const rows = await waitFor('the order to be delivered everywhere', () => {
      const mine = deliveryRows(gw.dbPath).filter((r) => r.event_id === 'order_5830042910002');
      return mine.length === PLATFORMS.length && mine.every((r) => r.status === 'delivered') ? mine : undefined;
    });
    expect(rows.map((r) => r.destination_id).sort()).toEqual([...PLATFORMS].sort());
    for (const platform of PLATFORMS) expect(mentions(await simUploads(sim, platform), '5830042910002')).toHaveLength(1);
  });

  it('records refunds and cancellations for reconciliation, idempotently, without sending anything', async () => {
    const eventsBefore = countRows(gw.dbPath, 'events');
    const refund = await postShopify(gw.url, fixture('refunds-create.json'), { topic: 'refunds/create', webhookId: 'wh-refund-1' });
    const again = await postShopify(gw.url, fixture('refunds-create.json'), { topic: 'refunds/create', webhookId: 'wh-refund-1' });
    const cancel = await postShopify(gw.url, fixture('orders-cancelled.json'), { topic: 'orders/cancelled', webhookId: 'wh-cancel-1' });
    expect([refund.status, again.status, cancel.status]).toEqual([200, 200, 200]);
    expect(again.body.duplicate).toBe(true);
    const orders = await gw.store.listOrders();
    expect(orders.filter((o) => o.topic === 'refunds/create')).toEqual([
      expect.objectContaining({ order_id: '5830042910001', refunded_amount: 30.55, currency: 'USD' }),
    ]);
    expect(orders.filter((o) => o.topic === 'orders/cancelled')).toEqual([expect.objectContaining({ order_id: '5830042910002' })]);
    expect(countRows(gw.dbPath, 'events')).toBe(eventsBefore);
  });

  it('acknowledges topics it does not handle, and refuses payloads without a topic or an order id', async () => {
    const other = await postShopify(gw.url, '{"id":1}', { topic: 'products/update', webhookId: 'wh-product' });
    expect(other).toMatchObject({ status: 200, body: { ok: true, ignored: true } });
    expect(await metricValue(gw.url, 'matchkey_shopify_webhooks_total{outcome="unused_topic",topic="products/update"}')).toBe(1);
    const noTopic = await postShopify(gw.url, '{"id":1}', { topic: '' });
    expect(noTopic).toMatchObject({ status: 400, body: { error: { code: 'missing_topic' } } });
    const noId = await postShopify(gw.url, '{"email":"someone@example.com"}', { topic: 'orders/paid' });
    expect(noId).toMatchObject({ status: 400, body: { error: { path: 'id' } } });
    expect(JSON.stringify(noId.body)).not.toContain('someone');
  });

  it('acknowledges once the order is stored, without waiting for slow platforms', async () => {
    await simBehaviour(sim, { platform: 'all', mode: 'slow', delay_ms: 3000, count: 10 });
    try {
      const body = freshOrder('orders-paid.json', { id: 5830042910077 }).raw;
      const res = await postShopify(gw.url, body, { topic: 'orders/paid', webhookId: 'wh-slow-1' });
      expect(res.status).toBe(200);
      // Answered while every platform is still sitting on its (slow) answer.
      const rows = deliveryRows(gw.dbPath).filter((r) => r.event_id === 'order_5830042910077');
      expect(rows).toHaveLength(PLATFORMS.length);
      expect(rows.every((r) => r.status === 'pending')).toBe(true);
    } finally {
      await simBehaviour(sim, { platform: 'all', mode: 'ok' });
    }
  });
});

describe('Shopify test orders', () => {
  it('stores a test order and sends it only to destinations in test mode', async () => {
    const sim = await startSim();
    const dir = tempDir();
    const destinations = [...destinationsFor(sim.url, ['meta']), { ...destinationsFor(sim.url, ['pinterest'])[0], test: true }];
    const gw = await startInProcess(dir, configObject(dir, destinations));
    try {
      const res = await postShopify(gw.url, freshOrder('orders-paid-test-order.json').raw, { topic: 'orders/paid', webhookId: 'wh-test-order' });
      expect(res.status).toBe(200);
      const rows = await waitFor('the test order to settle', () => {
        const mine = deliveryRows(gw.dbPath).filter((r) => r.event_id === 'order_5830042910003');
        return mine.length === 2 && mine.every((r) => r.status !== 'pending') ? mine : undefined;
      });
      expect(rows.find((r) => r.destination_id === 'meta')).toMatchObject({ status: 'skipped' });
      expect(rows.find((r) => r.destination_id === 'pinterest')).toMatchObject({ status: 'delivered' });
      const [pin] = await simUploads(sim, 'pinterest');
      expect(pin!.query.test).toBe('true');
      expect(await simUploads(sim, 'meta')).toEqual([]);
    } finally {
      await gw.close();
      await sim.close();
    }
  });
});

/** One sample of GET /metrics (Prometheus text), 0 when absent. */
async function metricValue(url: string, sample: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}
