import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configObject, deliveryRows, destinationsFor, freshOrder, postEvents, postShopify, simUploads, startInProcess, startSim, tempDir, waitFor,
  type InProcessGateway, type Sim,
} from './harness.js';

// The consent policy through the real gateway: with EEA shoppers denied until they grant, an event that says nothing
// about consent from a German shopper is stored and skipped for every ad platform, while the same shopper's explicit
// grant, and an American shopper's silence, are sent. Server events and order webhooks take the same path.

describe('consent defaults (consent.default, consent.countries)', () => {
  let sim: Sim;
  let gw: InProcessGateway;

  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir('mk-consent-');
    gw = await startInProcess(dir, configObject(dir, destinationsFor(sim.url, ['meta', 'tiktok']), { consent: { default: 'granted', countries: { EEA: 'denied' } } }));
  });
  afterAll(async () => {
    await gw?.close();
    await sim?.close();
  });

  const withCountry = (id: string, country: string, consent?: Record<string, unknown>): Record<string, unknown> => {
    const event: Record<string, any> = {
      event_id: id,
      event_name: 'lead',
      event_time: Math.floor(Date.now() / 1000) - 60,
      event_source_url: 'https://shop.example/contact',
      user: { email: `${id}@example.com`, country, client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0' },
    };
    if (consent) event.consent = consent;
    return event;
  };
  const sentToMeta = async (id: string): Promise<boolean> => (await simUploads(sim, 'meta')).some((r) => JSON.stringify(r.body).includes(`"${id}"`));

  it('skips a silent EEA server event for every ad platform and sends an explicit grant and a silent US event', async () => {
    const res = await postEvents(gw.url, { events: [withCountry('c-de-silent', 'DE'), withCountry('c-de-granted', 'de', { marketing: true }), withCountry('c-us-silent', 'US')] });
    expect(res.status).toBe(202);

    await waitFor('the grant and the US event at Meta', async () => (await sentToMeta('c-de-granted')) && (await sentToMeta('c-us-silent')));
    const rows = deliveryRows(gw.dbPath);
    const of = (id: string) => rows.filter((r) => r.event_id === id).map((r) => ({ destination: r.destination_id, status: r.status, skip_reason: r.skip_reason }));
    expect(of('c-de-silent')).toEqual([
      { destination: 'meta', status: 'skipped', skip_reason: 'consent_denied' },
      { destination: 'tiktok', status: 'skipped', skip_reason: 'consent_denied' },
    ]);
    await waitFor('the granted rows delivered', () => ['c-de-granted', 'c-us-silent'].every((id) => deliveryRows(gw.dbPath).filter((r) => r.event_id === id && r.status === 'delivered').length === 2));
    expect(await sentToMeta('c-de-silent')).toBe(false);
  });

  it('applies the same rule to an order webhook without the storefront consent attribute', async () => {
    const post = async (id: number, country: string, attributes: { name: string; value: string }[]) => {
      const order = JSON.parse(freshOrder('orders-paid.json', { id }).raw) as Record<string, any>;
      order.billing_address = { ...order.billing_address, country_code: country };
      order.note_attributes = attributes;
      const res = await postShopify(gw.url, JSON.stringify(order), { topic: 'orders/paid', webhookId: `wh-consent-${id}` });
      expect(res.status).toBe(200);
    };
    await post(7101, 'FR', []);
    await post(7102, 'FR', [{ name: '_matchkey_consent', value: 'granted' }]);
    await waitFor('the granted French order at Meta', () => sentToMeta('7102'));
    const rows = deliveryRows(gw.dbPath);
    expect(rows.filter((r) => r.event_id === 'order_7101').map((r) => r.skip_reason)).toEqual(['consent_denied', 'consent_denied']);
    expect(rows.filter((r) => r.event_id === 'order_7102').every((r) => r.status !== 'skipped')).toBe(true);
  });
});
