import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configObject,
  deliveryRows,
  destinationsFor,
  freshOrder,
  postShopify,
  simUploads,
  startInProcess,
  startSim,
  tempDir,
  waitFor,
  type InProcessGateway,
  type Sim,
  type SimRecord,
} from '../gateway/harness.js';

// The browser leg in real headless Chromium (docs/BROWSER.md): a shop page on its own origin (shop.localhost, which
// Chromium resolves to loopback) with stub fbq/ttq/pintrk that record their calls, loading the gateway's
// /matchkey.js; then the signed orders/paid webhook of the same order, and what reaches the platform simulators.

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const FBP = 'fb.1.1764000000000.1234567890';
const TTP = 'TtpCookie01';

// gtag's cookies: the client id, and the one stream's session (matchkey.js finds it without data-ga4-measurement-id).
const GA = 'GA1.1.1162820436.1764326000';
const GA_STREAM = 'GS2.1.s1764326100$o3$g1$t1764326200$j0$l0$h0';

function shopPage(gatewayUrl: string, opts: { consentDenied: boolean }): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,">
<script>
  window.calls = [];
  // Stand-ins for the platforms' pixels: they record their calls, and set the cookies the real ones set.
  window.fbq = function () { calls.push(['fbq'].concat(JSON.parse(JSON.stringify(Array.from(arguments))))); };
  window.ttq = { track: function () { calls.push(['ttq'].concat(JSON.parse(JSON.stringify(Array.from(arguments))))); } };
  window.pintrk = function () { calls.push(['pintrk'].concat(JSON.parse(JSON.stringify(Array.from(arguments))))); };
  ${opts.consentDenied ? 'window.matchkeyConsent = { marketing: false };' : `document.cookie = '_fbp=${FBP}; path=/'; document.cookie = '_ttp=${TTP}; path=/'; document.cookie = '_ga=${GA}; path=/'; document.cookie = '_ga_ABC123=${GA_STREAM}; path=/';`}
</script>
<script src="${gatewayUrl}/matchkey.js"></script>
</head><body><h1>Mug</h1></body></html>`;
}

// Google carries the order id (orderId "1001"), the others the shared event_id.
const mentionsOrder = (records: SimRecord[]) => records.filter((r) => r.status < 300 && /"order_1001"|"orderId":"1001"|"transactionId":"1001"/.test(JSON.stringify(r.body)));

describe.skipIf(!existsSync(CHROMIUM))('browser leg in headless Chromium', () => {
  let pages: Server;
  let shopOrigin: string;
  let sim: Sim;
  let gw: InProcessGateway;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    let gatewayUrl = '';
    pages = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/favicon.ico') return void res.writeHead(204).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(shopPage(gatewayUrl, { consentDenied: path === '/denied' }));
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    shopOrigin = `http://shop.localhost:${(pages.address() as AddressInfo).port}`;
    sim = await startSim();
    const dir = tempDir('mk-chromium-');
    gw = await startInProcess(dir, configObject(dir, destinationsFor(sim.url), { sources: { api_keys: ['test-ingest-key-0123456789'], shopify: { webhook_secrets: ['shopify-current-secret'] }, browser: { allowed_origins: [shopOrigin] } } }));
    gatewayUrl = gw.url;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await sim?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });

  async function open(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${path}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`${path}: ${err.message}`));
    await page.goto(`${shopOrigin}${path}`);
    return page;
  }

  it('keeps no cookie when the page says marketing consent is denied, and fires no pixel', async () => {
    const context = await browser.newContext();
    const page = await open(context, '/denied?fbclid=DeniedClick&ttclid=t&epik=e&gclid=g');
    expect(await context.cookies()).toEqual([]);
    const eventId = await page.evaluate(() => (globalThis as any).matchkey.track('add_to_cart', { value: 3, currency: 'USD', items: [{ id: 'SKU-9', quantity: 1 }] }));
    expect(await page.evaluate(() => (globalThis as any).calls)).toEqual([]);
    const stored = await waitFor('the denied event at the gateway', async () => (await gw.store.listEvents()).find((e) => e.event.event_id === eventId));
    expect(stored.event.consent.marketing).toBe(false);
    expect(stored.event.user.fbc).toBeUndefined();
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('keeps click ids in cookies, shares order_1001 between the pixels and /collect, and enriches the later webhook', async () => {
    const context = await browser.newContext();
    const landing = await open(context, '/products/mug?fbclid=AbC&ttclid=x&epik=y&gclid=Gcl1');
    const cookies = Object.fromEntries((await context.cookies()).map((c) => [c.name, c]));
    expect(cookies._fbc!.value).toMatch(/^fb\.1\.\d{13}\.AbC$/); // fbclid case kept
    expect(cookies.ttclid!.value).toBe('x');
    expect(cookies._epik!.value).toBe('y');
    expect(cookies._mk_gclid!.value).toBe('Gcl1');
    expect(cookies._fbc!.sameSite).toBe('Lax');
    expect(cookies._fbc!.expires - Date.now() / 1000).toBeGreaterThan(89 * 86400);
    const firstFbc = cookies._fbc!.value;
    await landing.close();

    // The same click again keeps its first-seen time; a new click replaces it.
    await (await open(context, '/products/mug?fbclid=AbC')).close();
    expect((await context.cookies()).find((c) => c.name === '_fbc')!.value).toBe(firstFbc);

    const thanks = await open(context, '/checkouts/thank_you');
    const beacons: string[] = [];
    thanks.on('request', (r) => {
      if (r.url().endsWith('/collect') && r.method() === 'POST') beacons.push(r.postData() ?? '');
    });
    const eventId = await thanks.evaluate(() =>
      (globalThis as any).matchkey.track('purchase', { order_id: 1001, checkout_token: 'ck-1001', value: 59.9, currency: 'USD', items: [{ id: 'SKU-1', name: 'Mug', quantity: 2, price: 29.95 }] }),
    );
    expect(eventId).toBe('order_1001');
    const calls = await thanks.evaluate(() => (globalThis as any).calls);
    expect(calls).toEqual([
      ['fbq', 'track', 'Purchase', expect.objectContaining({ value: 59.9, currency: 'USD', content_ids: ['SKU-1'] }), { eventID: 'order_1001' }],
      ['ttq', 'Purchase', expect.objectContaining({ value: 59.9, currency: 'USD' }), { event_id: 'order_1001' }],
      ['pintrk', 'track', 'checkout', expect.objectContaining({ event_id: 'order_1001', value: 59.9, order_id: 1001 })],
    ]);

    const browserEvent = await waitFor('the browser purchase at the gateway', async () =>
      (await gw.store.listEvents()).find((e) => e.source === 'browser' && e.event.event_id === 'order_1001'),
    );
    expect(beacons.map((b) => JSON.parse(b).event_id)).toEqual(['order_1001']);
    const sent = JSON.parse(beacons[0]!);
    expect(sent.user).toMatchObject({ fbp: FBP, fbc: firstFbc, ttp: TTP, epik: 'y', ttclid: 'x', gclid: 'Gcl1', ga_client_id: GA, ga_session_id: GA_STREAM });
    expect(sent.event_source_url).toBe(`${shopOrigin}/checkouts/thank_you`);
    const userAgent = browserEvent.event.user.client_user_agent!;
    expect(userAgent).toMatch(/Chrome\//);
    // The order webhook is the server copy of the purchase: the browser's rows wait for it.
    expect(deliveryRows(gw.dbPath).filter((r) => r.event_id === 'order_1001').every((r) => r.skip_reason === 'order_webhook_sends_purchase')).toBe(true);

    // The order webhook, later: no user agent, no cookies, no click ids of its own — only the shopper's browser_ip.
    const { raw } = freshOrder('orders-paid.json', { id: 1001 });
    const order = JSON.parse(raw) as Record<string, any>;
    delete order.client_details.user_agent;
    delete order.note_attributes;
    delete order.landing_site;
    order.checkout_token = 'ck-1001'; // the join key the thank-you page passed (an order id alone is guessable)
    const body = JSON.stringify(order, null, 2);
    const res = await postShopify(gw.url, body, { topic: 'orders/paid', webhookId: 'wh-browser-1001' });
    expect(res.body).toMatchObject({ ok: true, event_id: 'order_1001' });

    const rows = await waitFor('order_1001 delivered everywhere', () => {
      const mine = deliveryRows(gw.dbPath).filter((r) => r.event_id === 'order_1001');
      return mine.length === 5 && mine.every((r) => r.status === 'delivered') ? mine : undefined;
    });
    expect(rows.map((r) => r.destination_id).sort()).toEqual(['google', 'klaviyo', 'meta', 'pinterest', 'tiktok']);
    const one = async (platform: string) => {
      const found = mentionsOrder(await simUploads(sim, platform));
      expect(found, platform).toHaveLength(1);
      return found[0]!.body;
    };

    const meta = (await one('meta')).data;
    expect(meta).toHaveLength(1);
    expect(meta[0]).toMatchObject({ event_name: 'Purchase', event_id: 'order_1001' });
    expect(meta[0].user_data).toMatchObject({ fbp: FBP, fbc: firstFbc, client_user_agent: userAgent, client_ip_address: '198.51.100.23' });

    const tiktok = (await one('tiktok')).data;
    expect(tiktok).toHaveLength(1);
    expect(tiktok[0]).toMatchObject({ event: 'Purchase', event_id: 'order_1001' });
    expect(tiktok[0].user).toMatchObject({ ttp: TTP, ttclid: 'x', user_agent: userAgent, ip: '198.51.100.23' });

    const pinterest = (await one('pinterest')).data;
    expect(pinterest).toHaveLength(1);
    expect(pinterest[0]).toMatchObject({ event_name: 'checkout', event_id: 'order_1001' });
    expect(pinterest[0].user_data).toMatchObject({ click_id: 'y', client_user_agent: userAgent, client_ip_address: '198.51.100.23' });

    expect((await one('google')).events[0].adIdentifiers.gclid).toBe('Gcl1');
    await one('klaviyo');

    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/matchkey_browser_enrichment_total\{outcome="enriched"\} 1/);
    await context.close();
  });

  it('logged no console error on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
