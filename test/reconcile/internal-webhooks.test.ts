import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  configObject,
  deliveryRows,
  destinationsFor,
  fixture,
  freshOrder,
  postShopify,
  runCli,
  startInProcess,
  startSim,
  tempDir,
  waitFor,
  writeConfig,
  type InProcessGateway,
  type Sim,
} from '../gateway/harness.js';

// The internal source after a few webhooks through the gateway: the order of record is built from
// signed Shopify webhooks the gateway itself stored — not from rows written into the store by the test.
//
// Orders (all paid today):
//   7001  598.94 USD  paid                                  → of record
//   7002  598.94 USD  paid, refund 30.55 ok + 5.00 failed  → of record at its total, refunded 30.55 (a failed refund transaction returns nothing)
//   7003   42.50 GBP  paid, then cancelled                  → left out (cancelled)
//   7004   10.00 USD  test order                            → left out (test), sent only to test-mode destinations
// Expected: 4 read = 2 orders + 2 left out; revenue 1197.88 USD, excluded {test 1, cancelled 1, refunded 0}, refunded_amount 30.55.

const today = new Date().toISOString().slice(0, 10);

function refundOf(orderId: number): string {
  const refund = JSON.parse(fixture('refunds-create.json')) as Record<string, unknown>;
  refund.id = orderId * 10;
  refund.order_id = orderId;
  refund.processed_at = new Date(Date.now() - 30_000).toISOString();
  return JSON.stringify(refund);
}

function cancellationOf(orderId: number): string {
  const order = JSON.parse(fixture('orders-cancelled.json')) as Record<string, unknown>;
  const at = new Date(Date.now() - 60_000).toISOString();
  Object.assign(order, { id: orderId, processed_at: at, created_at: at, cancelled_at: new Date(Date.now() - 20_000).toISOString() });
  return JSON.stringify(order);
}

function paidCopyOfCancelled(orderId: number): string {
  const order = JSON.parse(cancellationOf(orderId)) as Record<string, unknown>;
  Object.assign(order, { cancelled_at: null, financial_status: 'paid' });
  return JSON.stringify(order);
}

describe('reconcile --orders internal, after webhooks through the gateway', () => {
  let sim: Sim;
  let gateway: InProcessGateway;
  let configPath: string;

  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir('mk-rec-');
    const raw = configObject(dir, destinationsFor(sim.url, ['meta', 'tiktok']));
    configPath = writeConfig(dir, raw);
    gateway = await startInProcess(dir, raw);

    const send = async (body: string, topic: string, id: string) => {
      const res = await postShopify(gateway.url, body, { topic, webhookId: id });
      expect(res.status).toBe(200);
    };
    await send(freshOrder('orders-paid.json', { id: 7001 }).raw, 'orders/paid', 'w-7001');
    await send(freshOrder('orders-paid.json', { id: 7002 }).raw, 'orders/paid', 'w-7002');
    await send(refundOf(7002), 'refunds/create', 'w-7002-refund');
    await send(paidCopyOfCancelled(7003), 'orders/paid', 'w-7003');
    await send(cancellationOf(7003), 'orders/cancelled', 'w-7003-cancel');
    await send(freshOrder('orders-paid-test-order.json', { id: 7004 }).raw, 'orders/paid', 'w-7004');

    await waitFor('purchases delivered', () => {
      const rows = deliveryRows(gateway.dbPath);
      return rows.length === 8 && rows.every((r) => r.status !== 'pending') ? rows : undefined;
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await sim?.close();
  });

  const expectOrdersOfRecord = (report: any) => {
    expect(report.orders_of_record).toMatchObject({
      read: 4,
      count: 2,
      revenue: 1197.88,
      currency: 'USD',
      excluded: { test: 1, cancelled: 1, unknown_status: 0, unpaid: 0, refunded: 0 },
      outside_window: 0,
      refunded_amount: 30.55,
    });
  };

  const expectDeliverySide = (report: any) => {
    for (const platform of ['meta', 'tiktok']) {
      const d = report.delivery[platform];
      // 7001, 7002 and 7003 were accepted (7003 before its cancellation); the test order was skipped.
      expect(d.accepted).toBe(3);
      expect(d.rejected).toBe(0);
      expect(d.dead).toBe(0);
    }
  };

  it('GET /api/reconcile builds the order of record from the stored webhooks', async () => {
    const res = await fetch(`${gateway.url}/api/reconcile?from=${today}&to=${today}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    const report = await res.json();
    expectOrdersOfRecord(report);
    expectDeliverySide(report);
  });

  it('the CLI reads the same log from the store named by the config', async () => {
    const out = await runCli(['reconcile', '--orders', 'internal', '--config', configPath, '--from', today, '--to', today, '--json']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout);
    expectOrdersOfRecord(report);
    expectDeliverySide(report);
  });
});
