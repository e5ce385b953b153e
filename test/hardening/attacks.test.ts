import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopifyHmac } from '../../src/sources/shopify/hmac.js';
import { configObject, countRows, freshOrder, INGEST_KEY, postEvents, postShopify, purchase, startInProcess, tempDir } from '../gateway/harness.js';
import { SHOP, startTarget, STORES, type Target } from './target.js';

// Each attack of docs/RELIABILITY.md "Attacks tried", reproduced against a running gateway: it is now refused
// (4xx naming the field) or harmless, never a 5xx.

const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
const deepObject = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

async function post(url: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const apiHeaders = { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' };
const collectHeaders = { origin: SHOP, 'content-type': 'text/plain' };
const signed = (body: string, topic = 'orders/paid') => ({
  'content-type': 'application/json',
  'x-shopify-topic': topic,
  'x-shopify-hmac-sha256': shopifyHmac(body, 'shopify-current-secret'),
});

describe.each(STORES)('attacks on the %s store', (kind) => {
  let t: Target;
  beforeAll(async () => {
    t = await startTarget(kind);
  }, 60_000);
  afterAll(async () => t?.close());

  it('a body nested 20,000 levels deep is 400 too_deep on every POST route (was 500)', async () => {
    const deep = nested(20_000);
    for (const [path, headers] of [
      ['/v1/events', apiHeaders],
      ['/collect', collectHeaders],
      ['/webhooks/shopify', signed(deep)],
    ] as const) {
      const res = await post(t.gw.url, path, deep, headers);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('too_deep');
    }
  });

  it('custom_data nested 9 levels, with too many keys or too many bytes is 400 on custom_data; nothing stored', async () => {
    const before = (await t.gw.store.listEvents({ limit: 10_000 })).length;
    const cases = [
      { custom_data: deepObject(9) },
      { custom_data: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])) },
      { custom_data: { blob: 'x'.repeat(20_000) } },
    ];
    for (const extra of cases) {
      const res = await postEvents(t.gw.url, purchase('cd-attack', { extra }));
      expect(res.status).toBe(400);
      expect(res.body.error.path).toBe('custom_data');
    }
    // 2,100 levels are refused by the body check before custom_data is even looked at.
    expect((await postEvents(t.gw.url, purchase('cd-deep', { extra: { custom_data: deepObject(2100) } }))).body.error.code).toBe('too_deep');
    expect((await t.gw.store.listEvents({ limit: 10_000 })).length).toBe(before);
  });

  it('a NUL or another control character in an identifier is 400 on every route; a Shopify order name with one is stored without it', async () => {
    for (const [field, body] of [
      ['event_id', purchase('nul\u0000id')],
      ['event_name', { ...purchase('nul-name'), event_name: 'pur\u0000chase' }],
      ['commerce.order_id', { ...purchase('nul-order'), commerce: { order_id: 'o\u0000', value: 1, currency: 'USD' } }],
      ['event_id', purchase('tab\tid')],
    ] as const) {
      const res = await postEvents(t.gw.url, body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.path, field).toBe(field);
    }
    const collect = await post(t.gw.url, '/collect', JSON.stringify({ event_name: 'page_view', event_time: Math.floor(Date.now() / 1000), shopify: { checkout_token: 'ck\u0000' } }), collectHeaders);
    expect(collect.status).toBe(400);
    const { raw } = freshOrder('orders-paid.json', { id: 9901 });
    const order = { ...(JSON.parse(raw) as Record<string, unknown>), name: '#99\u0000\u000701', note: 'gift\u0000' };
    const body = JSON.stringify(order);
    const res = await postShopify(t.gw.url, body, { topic: 'orders/paid', webhookId: `wh-nul-${kind}` });
    expect(res.status).toBe(200);
    const orders = await t.gw.store.listOrders({ from: 0, to: Date.now() + 86_400_000 });
    expect(orders.find((o) => o.order_id === '9901')?.name).toBe('#9901');
  });

  it('refuses an event_time far in the future, a negative value and 1e308 (was delivered)', async () => {
    const future = await postEvents(t.gw.url, { ...purchase('future'), event_time: Math.floor(Date.now() / 1000) + 365 * 86_400 });
    expect(future.body.error).toMatchObject({ code: 'event_time_in_future', path: 'event_time' });
    const negative = await postEvents(t.gw.url, { ...purchase('neg'), commerce: { order_id: 'neg', value: -50, currency: 'USD' } });
    expect(negative.body.error).toMatchObject({ code: 'negative_amount', path: 'commerce.value' });
    const huge = await postEvents(t.gw.url, { ...purchase('huge'), commerce: { order_id: 'huge', value: 1e308, currency: 'USD' } });
    expect(huge.body.error).toMatchObject({ code: 'amount_too_large', path: 'commerce.value' });
    const price = await postEvents(t.gw.url, { ...purchase('neg-price'), commerce: { order_id: 'p', value: 1, currency: 'USD', items: [{ id: 'a', price: -1 }] } });
    expect(price.body.error.path).toBe('commerce.items.0.price');
  });
});

describe('attacks on the Shopify webhook, the proxy headers, slow clients and exposure (SQLite)', () => {
  let t: Target;
  beforeAll(async () => {
    t = await startTarget('sqlite', {
      server: {
        host: '127.0.0.1',
        port: 0,
        trust_proxy: 1,
        metrics_token: 'metrics-token-0123456789',
        limits: { request_timeout_ms: 1000, headers_timeout_ms: 1000, connection_timeout_ms: 1000 },
      },
    });
  }, 60_000);
  afterAll(async () => t?.close());

  it('checks the HMAC before parsing: an unsigned body that is not even JSON is 401, not 400', async () => {
    const res = await post(t.gw.url, '/webhooks/shopify', '{"not json', { 'content-type': 'application/json', 'x-shopify-topic': 'orders/paid' });
    expect(res.status).toBe(401);
  });

  it('refuses an HMAC header with junk around a valid digest (strict base64)', async () => {
    const { raw } = freshOrder('orders-paid.json', { id: 9902 });
    const good = shopifyHmac(raw, 'shopify-current-secret');
    for (const hmac of [`${good}!!`, `**${good}`, good.replace('=', '')]) {
      expect((await postShopify(t.gw.url, raw, { topic: 'orders/paid', hmac })).status).toBe(401);
    }
    expect((await postShopify(t.gw.url, raw, { topic: 'orders/paid', hmac: good })).status).toBe(200);
  });

  it('refuses a signed orders/paid body replayed as orders/cancelled (was recorded as a cancellation)', async () => {
    const { raw } = freshOrder('orders-paid.json', { id: 9903 });
    const res = await postShopify(t.gw.url, raw, { topic: 'orders/cancelled', webhookId: 'wh-replayed-as-cancel' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('topic_mismatch');
    const orders = await t.gw.store.listOrders({ from: 0, to: Date.now() + 86_400_000 });
    expect(orders.filter((o) => o.order_id === '9903' && o.topic === 'orders/cancelled')).toEqual([]);
    const refund = await postShopify(t.gw.url, raw, { topic: 'refunds/create', webhookId: 'wh-replayed-as-refund' });
    expect(refund.body.error.code).toBe('topic_mismatch');
  });

  it('does not let a client pick its address by prepending to X-Forwarded-For: the rate limit holds', async () => {
    const dir = tempDir('mk-xff-');
    const gw = await startInProcess(
      dir,
      configObject(dir, [], { server: { host: '127.0.0.1', port: 0, trust_proxy: 1 }, sources: { browser: { allowed_origins: [SHOP], rate_limit: { per_second: 0.01, burst: 3 } } } }),
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const body = JSON.stringify({ event_name: 'page_view', event_time: Math.floor(Date.now() / 1000) });
        statuses.push((await post(gw.url, '/collect', body, { ...collectHeaders, 'x-forwarded-for': `198.51.100.${i}, 203.0.113.50` })).status);
      }
      expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
      const ips = new Set((await gw.store.listEvents()).map((e) => e.event.user.client_ip_address));
      expect([...ips]).toEqual(['203.0.113.50']);
    } finally {
      await gw.close();
    }
  });

  it('closes a connection that trickles its request (request and header timeouts)', async () => {
    const url = new URL(t.gw.url);
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write('POST /v1/events HTTP/1.1\r\nHost: x\r\n');
        const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
        socket.on('close', () => {
          clearInterval(trickle);
          resolve(true);
        });
      });
      socket.on('error', () => undefined);
    });
    expect(closed).toBe(true);
  });

  it('requires the metrics token when one is configured', async () => {
    expect((await fetch(`${t.gw.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.gw.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await fetch(`${t.gw.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('matchkey_');
  });

  it('creates the database and its WAL readable by the gateway user only (was 0644)', () => {
    for (const file of [t.gw.dbPath, `${t.gw.dbPath}-wal`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    expect(countRows(t.gw.dbPath, 'events')).toBeGreaterThanOrEqual(0);
  });

  it('builds the pixel from the request Host only privately; from server.public_url publicly, whatever the Host', async () => {
    const spoofed = await fetch(`${t.gw.url}/shopify-pixel.js`, { headers: { 'x-forwarded-host': 'evil.example' } });
    expect(spoofed.headers.get('cache-control')).toMatch(/^private/);
    expect(spoofed.headers.get('vary')).toContain('Host');
    await spoofed.text();
    const dir = tempDir('mk-public-url-');
    const gw = await startInProcess(dir, configObject(dir, [], { server: { host: '127.0.0.1', port: 0, trust_proxy: 1, public_url: 'https://matchkey.shop.example/' } }));
    try {
      const res = await fetch(`${gw.url}/shopify-pixel.js`, { headers: { 'x-forwarded-host': 'evil.example', 'accept-encoding': 'identity' } });
      const text = await res.text();
      expect(text).toContain('https://matchkey.shop.example/collect');
      expect(text).not.toContain('evil.example');
      expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    } finally {
      await gw.close();
    }
  });
});
