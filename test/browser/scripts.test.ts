import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAME_TABLE, STANDARD_EVENT_NAMES } from '../../src/event/names.js';
import { runPixel } from './pixel-sandbox.js';
import { configObject, deliveryRows, destinationsFor, freshOrder, postShopify, simUploads, startInProcess, startSim, tempDir, waitFor, type InProcessGateway, type Sim } from '../gateway/harness.js';

// The browser scripts as source: matchkey.js's copy of the name table, and the Shopify Customer Events pixel run
// against a stand-in of Shopify's sandbox API (analytics / browser / init / api.customerPrivacy), its requests
// forwarded to a real gateway's /collect, then the order webhook joined to them by checkout token.

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');

describe('matchkey.js name table', () => {
  it('matches src/event/names.ts for Meta, TikTok and Pinterest', () => {
    const source = read('src/browser/matchkey.js');
    const table = JSON.parse(/\/\*names\*\/([\s\S]*?)\/\*end names\*\//.exec(source)![1]!) as Record<string, [string, string, string]>;
    const expected = Object.fromEntries(
      STANDARD_EVENT_NAMES.map((name) => [name, [EVENT_NAME_TABLE.meta[name], EVENT_NAME_TABLE.tiktok[name], EVENT_NAME_TABLE.pinterest[name]]]),
    );
    expect(table).toEqual(expected);
  });
});

const checkout = (orderId?: string) => ({
  token: 'ck_token_42',
  currencyCode: 'USD',
  totalPrice: { amount: 59.9, currencyCode: 'USD' },
  lineItems: [{ quantity: 2, title: 'Mug', variant: { id: 'gid://shopify/ProductVariant/7', sku: 'SKU-1', price: { amount: 29.95 }, product: { title: 'Mug', vendor: 'Acme', type: 'Kitchen' } } }],
  ...(orderId ? { order: { id: orderId } } : {}),
});
const context = (href: string) => ({ document: { location: { href, search: new URL(href).search }, referrer: 'https://www.instagram.com/' } });

describe('Shopify Customer Events pixel', () => {
  const SHOP = 'https://shop.example';
  let sim: Sim;
  let gw: InProcessGateway;

  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir('mk-pixel-');
    gw = await startInProcess(dir, configObject(dir, destinationsFor(sim.url, ['meta', 'tiktok']), { sources: { shopify: { webhook_secrets: ['shopify-current-secret'] }, browser: { allowed_origins: [SHOP, 'null'] } } }));
  });
  afterAll(async () => {
    await gw?.close();
    await sim?.close();
  });

  // As the pixel's sandboxed iframe sends it: Origin null (allowed here by listing "null").
  async function forward(body: unknown, origin = 'null'): Promise<number> {
    const res = await fetch(`${gw.url}/collect`, { method: 'POST', headers: { origin, 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 PixelTest' }, body: JSON.stringify(body) });
    return res.status;
  }

  it('posts canonical events with order_<id> for checkout_completed, the checkout token and the cookies', async () => {
    const pixel = runPixel(await (await fetch(`${gw.url}/shopify-pixel.js`)).text(), {
      cookies: { _fbp: 'fb.1.1764000000000.55', _ttp: 'ttpPixel', _epik: 'epikPixel' },
      privacy: { marketingAllowed: true, saleOfDataAllowed: true },
      cartId: 'gid://shopify/Cart/cart_tok_9?key=k',
    });
    await pixel.emit('checkout_started', { id: 'sh-1', name: 'checkout_started', timestamp: new Date().toISOString(), context: context(`${SHOP}/checkouts/cn/x?fbclid=PixClick`), data: { checkout: checkout() } });
    await pixel.emit('checkout_completed', { id: 'sh-2', name: 'checkout_completed', timestamp: new Date().toISOString(), context: context(`${SHOP}/checkouts/cn/x/thank_you`), data: { checkout: checkout('gid://shopify/OrderIdentity/2002') } });
    await pixel.emit('search_submitted', { id: 'sh-3', timestamp: new Date().toISOString(), context: context(`${SHOP}/search?q=mug`), data: { searchResult: { query: 'mug' } } });

    expect(pixel.posts.map((p) => p.url)).toEqual(Array(3).fill(`${gw.url}/collect`));
    const [started, completed, search] = pixel.posts.map((p) => p.body);
    expect(started).toMatchObject({
      event_id: 'sh-1',
      event_name: 'initiate_checkout',
      user: { fbp: 'fb.1.1764000000000.55', ttp: 'ttpPixel', epik: 'epikPixel', fbclid: 'PixClick' },
      commerce: { value: 59.9, currency: 'USD', items: [{ id: 'SKU-1', name: 'Mug', brand: 'Acme', category: 'Kitchen', quantity: 2, price: 29.95 }] },
      shopify: { checkout_token: 'ck_token_42', cart_token: 'gid://shopify/Cart/cart_tok_9?key=k' },
      consent: { marketing: true, limited_data_use: false },
    });
    expect(completed).toMatchObject({ event_id: 'order_2002', event_name: 'purchase', commerce: { order_id: '2002' } });
    expect(search).toMatchObject({ event_name: 'search', commerce: { search_string: 'mug' } });
    expect(JSON.stringify(pixel.posts)).not.toMatch(/email|phone/);
    for (const p of pixel.posts) expect(await forward(p.body)).toBe(202);
    expect(await forward(pixel.posts[0]!.body, 'https://other.example')).toBe(403);
  });

  it('reads no cookie once the visitor denies marketing, and the denial reaches the order', async () => {
    const pixel = runPixel(await (await fetch(`${gw.url}/shopify-pixel.js`)).text(), { cookies: { _fbp: 'fb.1.1764000000000.66' }, privacy: { marketingAllowed: true } });
    pixel.consent({ marketingAllowed: false, saleOfDataAllowed: false });
    await pixel.emit('checkout_completed', { id: 'sh-9', timestamp: new Date().toISOString(), context: context(`${SHOP}/thank_you`), data: { checkout: { ...checkout('3003'), token: 'ck_denied' } } });
    const [body] = pixel.posts.map((p) => p.body);
    expect(body.user).toEqual({});
    expect(body.consent).toEqual({ marketing: false, limited_data_use: true });
    expect(await forward(body)).toBe(202);

    // The denial reaches the order through the checkout token (unguessable), never through order_3003 alone.
    const { raw } = freshOrder('orders-paid.json', { id: 3003 });
    const order = { ...(JSON.parse(raw) as Record<string, unknown>), checkout_token: 'ck_denied' };
    expect((await postShopify(gw.url, JSON.stringify(order), { topic: 'orders/paid', webhookId: 'wh-denied-3003' })).status).toBe(200);
    const rows = deliveryRows(gw.dbPath).filter((r) => r.event_id === 'order_3003');
    expect(rows.map((r) => [r.destination_id, r.status, r.skip_reason])).toEqual([
      ['meta', 'skipped', 'consent_denied'],
      ['tiktok', 'skipped', 'consent_denied'],
    ]);
  });

  it('enriches an order joined only by its checkout token', async () => {
    // Order 4004 has no browser purchase: only the checkout_started of the first test shares its checkout token.
    const { raw } = freshOrder('orders-paid.json', { id: 4004 });
    const order = JSON.parse(raw) as Record<string, any>;
    order.checkout_token = 'ck_token_42';
    delete order.client_details.user_agent;
    delete order.note_attributes;
    delete order.landing_site;
    expect((await postShopify(gw.url, JSON.stringify(order), { topic: 'orders/paid', webhookId: 'wh-ck-4004' })).status).toBe(200);
    const [meta] = await waitFor('order_4004 at Meta', async () => {
      const found = (await simUploads(sim, 'meta')).filter((r) => JSON.stringify(r.body).includes('order_4004'));
      return found.length > 0 ? found : undefined;
    });
    expect(meta!.body.data[0].user_data).toMatchObject({ fbp: 'fb.1.1764000000000.55', client_user_agent: 'Mozilla/5.0 PixelTest', client_ip_address: '198.51.100.23' });
    expect(meta!.body.data[0].user_data.fbc).toMatch(/^fb\.1\.\d{13}\.PixClick$/);
  });

  it('counts a browser purchase that arrives after its order webhook, and sends no second copy', async () => {
    const { raw } = freshOrder('orders-paid.json', { id: 5005 });
    expect((await postShopify(gw.url, raw, { topic: 'orders/paid', webhookId: 'wh-5005' })).status).toBe(200);
    expect(await forward({ event_name: 'purchase', event_time: Math.floor(Date.now() / 1000), commerce: { order_id: '5005' }, user: { fbp: 'fb.1.1764000000000.77' } })).toBe(202);
    const rows = deliveryRows(gw.dbPath).filter((r) => r.event_id === 'order_5005');
    expect(rows.map((r) => r.destination_id)).toEqual(['meta', 'tiktok']);
    expect(rows.every((r) => r.skip_reason === null)).toBe(true);
    const sources = (await gw.store.listEvents()).filter((e) => e.event.event_id === 'order_5005').map((e) => e.source);
    expect(sources.sort()).toEqual(['browser', 'shopify']);
    expect(await (await fetch(`${gw.url}/metrics`)).text()).toMatch(/matchkey_browser_collect_total\{outcome="browser_after_webhook"\} 1/);
  });
});
