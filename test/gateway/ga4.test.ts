import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendTest } from '../../src/server/send-test.js';
import { runPixel } from '../browser/pixel-sandbox.js';
import { configObject, deliveryRows, simBehaviour, destinationsFor, fixture, freshOrder, postShopify, sha256, simUploads, startInProcess, startSim, tempDir, waitFor, type InProcessGateway, type Sim, type SimRecord } from './harness.js';

// GA4 end to end through the real gateway: the Shopify pixel (served by the gateway with the GA4 stream's id) reads
// the _ga and _ga_<stream> cookies, /collect stores them under the checkout token, the order webhook joined by that
// token reaches the GA4 simulator with that client and session id; refunds/create reaches it as `refund`.

const SHOP = 'https://shop.example';
const GA_COOKIE = 'GA1.1.1162820436.1764326000';
const GA_STREAM_COOKIE = 'GS2.1.s1764326100$o3$g1$t1764326200$j0$l0$h0';

describe('GA4 through the gateway', () => {
  let sim: Sim;
  let gw: InProcessGateway;

  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir('mk-ga4-');
    gw = await startInProcess(dir, configObject(dir, destinationsFor(sim.url, ['meta', 'ga4']), { sources: { shopify: { webhook_secrets: ['shopify-current-secret'] }, browser: { allowed_origins: [SHOP, 'null'] } } }));
  });
  afterAll(async () => {
    await gw?.close();
    await sim?.close();
  });

  const ga4Requests = async (needle: string): Promise<SimRecord[] | undefined> => {
    const found = (await simUploads(sim, 'ga4')).filter((r) => JSON.stringify(r.body).includes(needle));
    return found.length > 0 ? found : undefined;
  };

  it('sends the order with the client id and session id the pixel read from the GA cookies', async () => {
    const pixel = runPixel(await (await fetch(`${gw.url}/shopify-pixel.js`)).text(), {
      // The served pixel reads the session cookie of the configured stream G-TEST000000.
      cookies: { _ga: GA_COOKIE, _ga_TEST000000: GA_STREAM_COOKIE, _ga_OTHER00: 'GS1.1.999.1.1.1.0.0.0' },
      privacy: { marketingAllowed: true, saleOfDataAllowed: true },
    });
    const checkout = { token: 'ck_ga4_6006', currencyCode: 'USD', totalPrice: { amount: 598.94 }, lineItems: [] };
    await pixel.emit('checkout_started', { id: 'sh-ga4-1', timestamp: new Date().toISOString(), context: { document: { location: { href: `${SHOP}/checkouts/cn/x`, search: '' } } }, data: { checkout } });
    const [started] = pixel.posts.map((p) => p.body);
    expect(started.user).toMatchObject({ ga_client_id: GA_COOKIE, ga_session_id: GA_STREAM_COOKIE });
    const collect = await fetch(`${gw.url}/collect`, { method: 'POST', headers: { origin: 'null', 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 PixelTest' }, body: JSON.stringify(started) });
    expect(collect.status).toBe(202);

    const { raw } = freshOrder('orders-paid.json', { id: 6006 });
    const order = JSON.parse(raw) as Record<string, any>;
    order.checkout_token = 'ck_ga4_6006';
    expect((await postShopify(gw.url, JSON.stringify(order), { topic: 'orders/paid', webhookId: 'wh-ga4-6006' })).status).toBe(200);

    const [request] = await waitFor('the order at GA4', () => ga4Requests('"transaction_id":"6006"'));
    expect(request!.path).toBe('/mp/collect');
    expect(request!.status).toBe(204);
    expect(request!.query).toMatchObject({ measurement_id: 'G-TEST000000', api_secret: 'ga4-test-secret' });
    const body = request!.body;
    expect(body.client_id).toBe('1162820436.1764326000');
    expect(body.user_id).toBe(sha256('7012345678901'));
    expect(body.user_data.sha256_email_address).toEqual([sha256('zelphine.quorvath@example.com')]);
    expect(body.consent).toEqual({ ad_user_data: 'GRANTED', ad_personalization: 'GRANTED' });
    expect(body.events).toHaveLength(1);
    expect(body.events[0]).toMatchObject({ name: 'purchase', params: { transaction_id: '6006', value: 598.94, currency: 'USD', session_id: '1764326100' } });
    expect(body.events[0].params.items.length).toBeGreaterThan(0);
    expect(body.events[0].params.items[0]).toHaveProperty('item_id');
    // The simulator counted it as taken, not as something GA4 would have dropped in silence.
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { totals: Record<string, { events_rejected: number }> };
    expect(stats.totals.ga4?.events_rejected).toBe(0);
    // GA4 does not deduplicate by event_id: the browser's begin_checkout stays with the site's own gtag.
    const browserRow = deliveryRows(gw.dbPath).find((r) => r.event_id === 'sh-ga4-1' && r.destination_id === 'ga4');
    expect(browserRow).toMatchObject({ status: 'skipped', skip_reason: 'browser_events_off' });
  });

  it('sends refunds/create as a GA4 refund of the money actually refunded, and to no ad platform', async () => {
    const refund = JSON.parse(fixture('refunds-create.json')) as Record<string, any>;
    refund.order_id = 6006;
    refund.processed_at = refund.created_at = new Date(Date.now() - 60_000).toISOString();
    const res = await postShopify(gw.url, JSON.stringify(refund), { topic: 'refunds/create', webhookId: 'wh-refund-6006' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, duplicate: false, event_id: `refund_${refund.id}` });

    const [request] = await waitFor('the refund at GA4', async () => (await ga4Requests('"name":"refund"'))?.filter((r) => JSON.stringify(r.body).includes('"6006"')));
    // 30.55 refunded in a successful transaction; the failed 5.00 is not money back.
    expect(request!.body.events).toEqual([{ name: 'refund', params: { transaction_id: '6006', value: 30.55, currency: 'USD' } }]);
    const rows = deliveryRows(gw.dbPath).filter((r) => r.event_id === `refund_${refund.id}`);
    expect(rows.map((r) => [r.destination_id, r.status === 'skipped' ? r.skip_reason : 'sent'])).toEqual([
      ['ga4', 'sent'],
      ['meta', 'refunds_not_sent'],
    ]);
    // A redelivery of the same webhook changes nothing.
    expect((await postShopify(gw.url, JSON.stringify(refund), { topic: 'refunds/create', webhookId: 'wh-refund-6006' })).body).toMatchObject({ duplicate: true });
  });

  it('send-test validates against the validation server and reports its validation messages', async () => {
    const ok = await sendTest({ config: gw.config, destinationId: 'ga4' });
    expect(ok).toMatchObject({ platform: 'ga4', test_mode: true, status: 200, answer: { validationMessages: [] }, result: { ok: true } });
    expect(ok.url).toBe(`${sim.url}/debug/mp/collect?measurement_id=G-TEST000000&api_secret=***`);
    // The test purchase has no _ga cookie: coverage does not count its stand-in client id.
    expect(ok.keys).toEqual(expect.arrayContaining(['user_id', 'sha256_email_address', 'sha256_phone_number', 'address']));
    expect(ok.keys).not.toContain('client_id');

    await simBehaviour(sim, { platform: 'ga4', mode: 'reject_events', count: 1 });
    const refused = await sendTest({ config: gw.config, destinationId: 'ga4' });
    expect(refused.answer).toEqual({ validationMessages: [{ fieldPath: 'events.0', description: 'Rejected by simulator.', validationCode: 'VALUE_INVALID' }] });
    expect(refused.result).toEqual({ ok: false, error: { kind: 'permanent', code: 'ga4_validation', message: 'GA4 validation: VALUE_INVALID events.0: Rejected by simulator.' } });
  });
});
