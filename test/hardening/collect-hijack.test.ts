import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configObject,
  deliveryRows,
  destinationsFor,
  freshOrder,
  postEvents,
  postShopify,
  purchase,
  simUploads,
  startInProcess,
  startSim,
  tempDir,
  waitFor,
  type InProcessGateway,
  type Sim,
} from '../gateway/harness.js';

// An anonymous POST /collect that arrives first with a real order's event_id must not change what the order sends:
// not absorb its delivery (a page_view named order_<id>), not mark it consent-denied, not lend it an attacker's
// click id. The server copy always wins its delivery (docs/BROWSER.md "Threat model").

const SHOP = 'https://shop.example';
const ATTACKER_FBC = 'fb.1.1764000000000.AttackerClick';

async function collect(url: string, body: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${url}/collect`, { method: 'POST', headers: { origin: SHOP, 'content-type': 'text/plain' }, body: JSON.stringify(body) });
  await res.text();
  return res.status;
}

const now = () => Math.floor(Date.now() / 1000);

async function metaEventsFor(sim: Sim, eventId: string): Promise<any[]> {
  const uploads = await simUploads(sim, 'meta');
  return uploads.filter((u) => u.status < 300).flatMap((u) => (u.body as { data: any[] }).data).filter((e) => e.event_id === eventId);
}

describe('/collect cannot hijack a server event', () => {
  let sim: Sim;
  let shop: InProcessGateway;
  let api: InProcessGateway;

  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir('mk-hijack-');
    shop = await startInProcess(dir, configObject(dir, destinationsFor(sim.url, ['meta']), {
      sources: { shopify: { webhook_secrets: ['shopify-current-secret'] }, browser: { allowed_origins: [SHOP] } },
    }));
    const dir2 = tempDir('mk-hijack-api-');
    // No Shopify source, and browser purchases sent server-side: the case where a forged browser copy is sent.
    const [meta] = destinationsFor(sim.url, ['meta']);
    api = await startInProcess(dir2, configObject(dir2, [{ ...meta, send_browser_events: true }], {
      sources: { api_keys: ['test-ingest-key-0123456789'], browser: { allowed_origins: [SHOP] } },
    }));
  });
  afterAll(async () => {
    await shop?.close();
    await api?.close();
    await sim?.close();
  });

  it('a page_view named order_<id>, sent before the order, does not take the order webhook\'s delivery', async () => {
    expect(await collect(shop.url, { event_id: 'order_7001', event_name: 'page_view', event_time: now(), event_source_url: `${SHOP}/` })).toBe(202);
    await waitFor('the forged page_view sent', async () => (await metaEventsFor(sim, 'order_7001')).length === 1);
    const { raw } = freshOrder('orders-paid.json', { id: 7001 });
    expect((await postShopify(shop.url, raw, { topic: 'orders/paid', webhookId: 'wh-hijack-7001' })).status).toBe(200);
    const sent = await waitFor('the real purchase sent', async () => {
      const found = (await metaEventsFor(sim, 'order_7001')).filter((e) => e.event_name === 'Purchase');
      return found.length === 1 ? found : undefined;
    });
    expect(sent[0].user_data.em).toBeDefined();
  });

  it('a purchase with consent denied and an attacker\'s fbc, before the webhook, neither silences nor re-attributes it', async () => {
    expect(
      await collect(shop.url, {
        event_id: 'order_7002',
        event_name: 'purchase',
        event_time: now(),
        user: { fbc: ATTACKER_FBC },
        consent: { marketing: false },
        commerce: { order_id: '7002', value: 1, currency: 'USD' },
      }),
    ).toBe(202);
    expect(
      await collect(shop.url, { event_id: 'order_7002', event_name: 'purchase', event_time: now(), user: { fbc: ATTACKER_FBC }, commerce: { order_id: '7002', value: 1, currency: 'USD' } }),
    ).toBe(202);
    const { raw } = freshOrder('orders-paid.json', { id: 7002 });
    const order = JSON.parse(raw) as Record<string, unknown>;
    delete order.landing_site;
    delete order.note_attributes;
    const body = JSON.stringify(order);
    expect((await postShopify(shop.url, body, { topic: 'orders/paid', webhookId: 'wh-hijack-7002' })).status).toBe(200);
    const [sent] = await waitFor('the real purchase sent', async () => {
      const found = await metaEventsFor(sim, 'order_7002');
      return found.length === 1 ? found : undefined;
    });
    expect(sent.event_name).toBe('Purchase');
    expect(sent.user_data.fbc).toBeUndefined();
    expect(deliveryRows(shop.dbPath).filter((r) => r.event_id === 'order_7002').map((r) => r.skip_reason)).toEqual([null]);
  });

  it('a forged browser purchase sent first does not absorb the shop\'s own API purchase', async () => {
    expect(
      await collect(api.url, { event_id: 'order_7003', event_name: 'purchase', event_time: now(), user: { fbc: ATTACKER_FBC }, commerce: { order_id: '7003', value: 1, currency: 'USD' } }),
    ).toBe(202);
    await waitFor('the forged purchase sent', async () => (await metaEventsFor(sim, 'order_7003')).length === 1);
    const res = await postEvents(api.url, purchase('order_7003', { ageSec: 30 }));
    expect(res.status).toBe(202);
    const copies = await waitFor('the real purchase sent too', async () => {
      const found = await metaEventsFor(sim, 'order_7003');
      return found.length === 2 ? found : undefined;
    });
    // The server copy, with the shop's email and without the attacker's click, reached Meta under the same event_id.
    expect(copies[1].user_data.em).toBeDefined();
    expect(copies[1].user_data.fbc).toBeUndefined();
  });
});
