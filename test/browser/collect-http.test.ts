import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configObject, deliveryRows, destinationsFor, startInProcess, startSim, tempDir, type InProcessGateway, type Sim } from '../gateway/harness.js';

// POST /collect and the script routes over real HTTP on loopback (docs/BROWSER.md: origins, limits, bad bodies).

const SHOP = 'https://shop.example';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36';

function pageView(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { event_name: 'page_view', event_time: Math.floor(Date.now() / 1000), event_source_url: `${SHOP}/`, user: { fbp: 'fb.1.1764000000000.42' }, ...extra };
}

async function collect(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${url}/collect`, {
    method: 'POST',
    headers: { origin: SHOP, 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA, ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function storedBrowserEvents(gw: InProcessGateway) {
  return (await gw.store.listEvents()).filter((e) => e.source === 'browser');
}

describe('POST /collect', () => {
  let sim: Sim;
  let gw: InProcessGateway;
  let proxied: InProcessGateway;
  let unconfigured: InProcessGateway;

  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir('mk-collect-');
    gw = await startInProcess(
      dir,
      configObject(dir, destinationsFor(sim.url, ['meta', 'tiktok']), {
        sources: {
          api_keys: ['test-ingest-key-0123456789'],
          shopify: { webhook_secrets: ['s'] },
          browser: { allowed_origins: [SHOP], rate_limit: { per_second: 0.01, burst: 30 }, max_body_bytes: 2048 },
        },
      }),
    );
    const dir2 = tempDir('mk-collect-proxy-');
    proxied = await startInProcess(
      dir2,
      configObject(dir2, [], {
        server: { host: '127.0.0.1', port: 0, trust_proxy: true },
        sources: { browser: { allowed_origins: [SHOP], rate_limit: { per_second: 0.01, burst: 2 } } },
      }),
    );
    const dir3 = tempDir('mk-collect-none-');
    unconfigured = await startInProcess(dir3, configObject(dir3, []));
  });
  afterAll(async () => {
    await gw?.close();
    await proxied?.close();
    await unconfigured?.close();
    await sim?.close();
  });

  it('accepts a sendBeacon text/plain event from an allowed origin, stored as a browser event with the UA', async () => {
    const res = await collect(gw.url, pageView({ event_id: 'pv-1' }));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, event_ids: ['pv-1'], results: [{ event_id: 'pv-1', status: 'stored' }] });
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    const [stored] = (await storedBrowserEvents(gw)).filter((e) => e.event.event_id === 'pv-1');
    expect(stored!.event.user).toMatchObject({ fbp: 'fb.1.1764000000000.42', client_user_agent: UA });
    // Non-purchase browser events are sent server-side by default (send_browser_events), with the shared event_id.
    expect(deliveryRows(gw.dbPath).filter((r) => r.event_id === 'pv-1').map((r) => [r.destination_id, r.skip_reason])).toEqual([
      ['meta', null],
      ['tiktok', null],
    ]);
  });

  it('accepts application/json too, and defers a browser purchase to the order webhook', async () => {
    const res = await collect(gw.url, { event_name: 'purchase', event_time: Math.floor(Date.now() / 1000), commerce: { order_id: 555, value: 5, currency: 'USD' } }, { 'content-type': 'application/json' });
    expect(res.status).toBe(202);
    expect(res.body.event_ids).toEqual(['order_555']);
    expect(deliveryRows(gw.dbPath).filter((r) => r.event_id === 'order_555').map((r) => [r.status, r.skip_reason])).toEqual([
      ['skipped', 'order_webhook_sends_purchase'],
      ['skipped', 'order_webhook_sends_purchase'],
    ]);
  });

  it('answers the CORS preflight of an allowed origin and refuses any other origin with 403', async () => {
    const ok = await fetch(`${gw.url}/collect`, { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');

    const preflight = await fetch(`${gw.url}/collect`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(await preflight.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });

    const before = (await storedBrowserEvents(gw)).length;
    const other = await collect(gw.url, pageView(), { origin: 'https://evil.example' });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('origin_not_allowed');
    const none = await collect(gw.url, pageView(), { origin: '' });
    expect(none.status).toBe(403);
    expect((await storedBrowserEvents(gw)).length).toBe(before);
  });

  it('refuses bad bodies with 400 naming the field, and a body over the limit with 413', async () => {
    const misspelt = await collect(gw.url, pageView({ user: { fbpp: 'x' } }));
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error).toMatchObject({ path: 'user', code: 'unknown_field' });
    expect(misspelt.headers.get('access-control-allow-origin')).toBe(SHOP);
    const badTime = await collect(gw.url, pageView({ event_time: 'soon' }));
    expect(badTime.body.error.path).toBe('event_time');
    const token = await collect(gw.url, pageView({ shopify: { checkout_token: 7 } }));
    expect(token.body.error.path).toBe('shopify.checkout_token');
    const notJson = await collect(gw.url, 'hello');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    // Invalid UTF-8 is refused, never decoded into U+FFFD and stored as an identity value nobody sent.
    const latin1 = await collect(gw.url, Buffer.from(JSON.stringify(pageView({ user: { city: 'Zürich' } })), 'latin1'));
    expect(latin1.status).toBe(400);
    expect(latin1.body.error.code).toBe('invalid_utf8');
    const form = await collect(gw.url, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const big = await collect(gw.url, pageView({ custom_data: { blob: 'x'.repeat(3000) } }));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('body_too_large');
  });

  it('limits each client address with 429 and Retry-After; X-Forwarded-For counts only with trust_proxy', async () => {
    const xff = { 'x-forwarded-for': '203.0.113.77' };
    expect((await collect(proxied.url, pageView(), xff)).status).toBe(202);
    expect((await collect(proxied.url, pageView(), xff)).status).toBe(202);
    const limited = await collect(proxied.url, pageView(), xff);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body.error.code).toBe('rate_limited');
    // Another address has its own budget.
    expect((await collect(proxied.url, pageView(), { 'x-forwarded-for': '2001:db8::5' })).status).toBe(202);
  });

  it('takes the client IP from X-Forwarded-For only when trust_proxy is set, IPv6 as is', async () => {
    // One trusted hop: the right-most entry is what our proxy saw; what the client wrote before it is ignored.
    await collect(proxied.url, pageView({ event_id: 'ip-v6' }), { 'x-forwarded-for': '198.51.100.66, 2001:db8::6' });
    await collect(proxied.url, pageView({ event_id: 'ip-v4' }), { 'x-forwarded-for': '198.51.100.6' });
    const byId = Object.fromEntries((await storedBrowserEvents(proxied)).map((e) => [e.event.event_id, e.event.user]));
    expect(byId['ip-v6']!.client_ip_address).toBe('2001:db8::6');
    expect(JSON.stringify(byId)).not.toContain('198.51.100.66');
    expect(byId['ip-v4']!.client_ip_address).toBe('198.51.100.6');

    // Without trust_proxy the header is ignored: the socket (loopback, dropped as non-public) is the address.
    await collect(gw.url, pageView({ event_id: 'ip-untrusted', user: { client_ip_address: '198.51.100.99' } }), { 'x-forwarded-for': '198.51.100.7' });
    const [untrusted] = (await storedBrowserEvents(gw)).filter((e) => e.event.event_id === 'ip-untrusted');
    expect(untrusted!.event.user.client_ip_address).toBeUndefined();
    expect(JSON.stringify(untrusted!.event)).not.toContain('198.51.100.');
  });

  it('is 404 when sources.browser is not configured', async () => {
    const res = await collect(unconfigured.url, pageView());
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_configured');
  });

  it('counts the browser leg on /metrics', async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(/matchkey_browser_collect_total\{outcome="accepted"\} \d+/);
    expect(text).toMatch(/matchkey_browser_collect_total\{outcome="origin_refused"\} \d+/);
  });
});

describe('GET /matchkey.js and /shopify-pixel.js', () => {
  let gw: InProcessGateway;
  beforeAll(async () => {
    const dir = tempDir('mk-scripts-');
    gw = await startInProcess(dir, configObject(dir, []));
  });
  afterAll(async () => gw?.close());

  it('serves matchkey.js as JavaScript with caching headers, an ETag and ≤ 5 KB gzipped', async () => {
    const res = await fetch(`${gw.url}/matchkey.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const source = await res.text();
    expect(source).toContain('matchkey.track');

    const again = await fetch(`${gw.url}/matchkey.js`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);

    const { request } = await import('undici');
    const gz = await request(`${gw.url}/matchkey.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const compressed = Buffer.from(await gz.body.arrayBuffer());
    expect(compressed.length).toBeLessThanOrEqual(5 * 1024);
    expect(gunzipSync(compressed).toString('utf8')).toBe(source);
  });

  it('serves the Shopify pixel pointing at this gateway', async () => {
    const res = await fetch(`${gw.url}/shopify-pixel.js`);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const source = await res.text();
    expect(source).toContain(`var MATCHKEY_COLLECT_URL = '${gw.url}/collect';`);
    expect(source).toContain("analytics.subscribe");
  });
});
