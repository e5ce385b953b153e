import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configObject, deliveryRows, destinationsFor, freshOrder, postShopify, sha256, simUploads, startInProcess, startSim, tempDir, waitFor, type InProcessGateway, type Sim } from './harness.js';

// A Shopify order whose landing URL carried Snapchat's ScCid, Microsoft's msclkid and Reddit's rdt_cid (and whose note
// attributes carried the _scid, _uetmsclkid and _rdt_uuid cookies) through the real gateway to the three simulators,
// each of which checks the request against the platform's request contract.

const SCCID = '7b3a7917-a82a-47e8-9728-e1b3b045abb2';
const MSCLKID = '4bd4a5f5c8e61e1b8c3a0b1a2d3e4f50';
const RDT_CID = '1234567890123456789_rdtClick';

function orderWithClickIds(): string {
  const order = JSON.parse(freshOrder('orders-paid.json', { id: 5830042910077 }).raw) as Record<string, any>;
  order.landing_site = `/products/ceramic-mug?ScCid=${SCCID}&msclkid=${MSCLKID}&rdt_cid=${RDT_CID}`;
  order.note_attributes = [
    ...order.note_attributes,
    { name: '_scid', value: 'snap-cookie-1' },
    // The landing URL's msclkid names this order's click; the cookie of an older click must not replace it.
    { name: '_uetmsclkid', value: '_uetolderclick0000000000000000000' },
    { name: '_rdt_uuid', value: '1764000000000.rdt-uuid-1' },
  ];
  return JSON.stringify(order, null, 2);
}

describe('Snapchat, Microsoft and Reddit end to end', () => {
  let sim: Sim;
  let gw: InProcessGateway;

  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir();
    gw = await startInProcess(dir, configObject(dir, destinationsFor(sim.url, ['snapchat', 'microsoft', 'reddit'])));
  });
  afterAll(async () => {
    await gw?.close();
    await sim?.close();
  });

  it('delivers the order with its click id to each simulator', async () => {
    const res = await postShopify(gw.url, orderWithClickIds(), { topic: 'orders/paid', webhookId: 'wh-new-platforms-1' });
    expect(res.status).toBe(200);
    const email = 'zelphine.quorvath@example.com';

    const received = async (platform: string) =>
      waitFor(`${platform} to receive the order`, async () => (await simUploads(sim, platform)).find((r) => r.status < 300 && JSON.stringify(r.body).includes('5830042910077')));

    const snap = (await received('snapchat')).body.data[0];
    expect(snap).toMatchObject({ event_name: 'PURCHASE', event_id: 'order_5830042910077', action_source: 'WEB' });
    expect(snap.user_data).toMatchObject({ sc_click_id: SCCID, sc_cookie1: 'snap-cookie-1', em: [sha256(email)], ph: [sha256('15024592181')] });

    const ms = (await received('microsoft')).body.data[0];
    expect(ms).toMatchObject({ eventType: 'custom', eventName: 'purchase', eventId: 'order_5830042910077' });
    expect(ms.userData).toMatchObject({ msclkid: MSCLKID, em: sha256(email), ph: sha256('+15024592181') });

    const rdt = (await received('reddit')).body.data.events[0];
    expect(rdt).toMatchObject({ click_id: RDT_CID, type: { tracking_type: 'PURCHASE' }, metadata: { conversion_id: 'order_5830042910077' } });
    // Reddit's own email rule: the dot of the local part goes.
    expect(rdt.user).toMatchObject({ uuid: '1764000000000.rdt-uuid-1', email: sha256('zelphinequorvath@example.com') });

    await waitFor('all three deliveries to be sent', () => {
      const rows = deliveryRows(gw.dbPath).filter((r) => r.event_id === 'order_5830042910077');
      return rows.length === 3 && rows.every((r) => r.status === 'delivered') ? rows : undefined;
    });
  });
});
