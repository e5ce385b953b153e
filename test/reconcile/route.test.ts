import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/outbox/open.js';
import type { OutboxStore } from '../../src/outbox/types.js';
import { registerJsonBody } from '../../src/server/json-body.js';
import { reconcileRoutes } from '../../src/server/routes/reconcile.js';
import { gatewayReads } from '../../src/diagnostics/diagnose-in-thread.js';
import { seedMarch } from './store-helpers.js';

const TOKEN = 'admin-token-0123456789';
// The answers are checked field by field below; `any` keeps those checks short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const body = async (res: Response): Promise<any> => res.json();
const MARCH = 'from=2025-03-01&to=2025-03-31&as_of=2025-04-15';

// Both ways the route runs a reconciliation: on its own thread (a bare route), and in the gateway's read thread
// (GatewayContext.reconcile), where the order log is read through a read-only connection to the same file.
describe.each(['on the calling thread', "in the gateway's read thread"])('GET/POST /api/reconcile over real HTTP on loopback, %s', (where) => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-reconcile-http-'));
  let store: OutboxStore;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    const url = `sqlite:${join(dir, 'm.db')}`;
    store = await openStore(url);
    await seedMarch(store);
    app = Fastify();
    registerJsonBody(app); // as the gateway does: JSON is the only body type outside this plugin
    const inThread = where !== 'on the calling thread';
    await app.register(reconcileRoutes, { store, adminToken: TOKEN, ...(inThread ? { reconcile: gatewayReads(store, url, []).reconcile } : {}) });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('refuses without the admin token', async () => {
    expect((await fetch(`${base}/api/reconcile?${MARCH}`)).status).toBe(401);
    const wrong = await fetch(`${base}/api/reconcile?${MARCH}`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await body(wrong)).error.code).toBe('unauthorized');
  });

  it('GET returns the report of the gateway order log (same JSON as the CLI)', async () => {
    const res = await fetch(`${base}/api/reconcile?${MARCH}`, { headers: auth });
    expect(res.status).toBe(200);
    const report = await body(res);
    expect(report.window).toEqual({ from: '2025-03-01', to: '2025-03-31', as_of: '2025-04-15' });
    // 9 orders read = 5 kept + 3 left out + 1 outside the window (store-helpers.ts, seedMarch).
    expect(report.orders_of_record).toMatchObject({ read: 9, count: 5, revenue: 310, excluded: { test: 1, cancelled: 1, unknown_status: 0, unpaid: 0, refunded: 1 }, outside_window: 1 });
    expect(report.platforms).toEqual({});
    expect(report.delivery.meta).toMatchObject({ accepted: 3, accepted_share: 0.4 });
  });

  it('POST text/csv takes one attributed export as the body', async () => {
    const res = await fetch(`${base}/api/reconcile?${MARCH}&platform=meta&window=meta%3D28d_click%2C1d_view`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: 'date,conversions,value\n2025-03-02,2,160\n2025-04-03,9,900\n',
    });
    expect(res.status).toBe(200);
    const report = await body(res);
    // d + 28 > Apr 15 → from Mar 19: 13 immature days.
    expect(report.platforms.meta).toMatchObject({ attributed_conversions: 2, share: 0.4, value_share: 0.5161, rows_outside_window: 1, attribution_window: '28d_click,1d_view', immature_days: 13 });
  });

  it('POST application/json takes several attributed files and an orders export', async () => {
    const orders = readFileSync(new URL('../fixtures/reconcile/shopify-orders.csv', import.meta.url), 'utf8');
    const pinterest = readFileSync(new URL('../fixtures/reconcile/pinterest-export.csv', import.meta.url), 'utf8');
    const res = await fetch(`${base}/api/reconcile`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        from: '2025-01-01',
        to: '2025-01-31',
        as_of: '2025-02-05',
        orders: { format: 'csv', text: orders, name: 'shopify-orders.csv' },
        attributed: [{ csv: pinterest, name: 'pinterest.csv' }, { csv: 'date,conversions,value\n2025-01-02,1,100\n', platform: 'meta' }],
      }),
    });
    expect(res.status).toBe(200);
    const report = await body(res);
    expect(report.orders_of_record).toMatchObject({ source: 'shopify-orders.csv', read: 13, count: 7, revenue: 405, outside_window: 2 });
    expect(report.platforms.pinterest).toMatchObject({ attributed_conversions: 3, immature_days: 25 });
    expect(report.platforms.meta).toMatchObject({ attributed_conversions: 1, share: 0.1429 });
  });

  it('answers 400 naming what is wrong', async () => {
    const badDate = await fetch(`${base}/api/reconcile?from=2025-13-01`, { headers: auth });
    expect(badDate.status).toBe(400);
    expect((await body(badDate)).error).toMatchObject({ code: 'invalid_date', path: 'from' });
    const badCsv = await fetch(`${base}/api/reconcile`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ attributed: 'platform,date,conversions,value\nmeta,2025-03-02,two,1\n' }),
    });
    expect(badCsv.status).toBe(400);
    expect((await body(badCsv)).error.path).toBe('attributed:2.conversions');
    const unknown = await fetch(`${base}/api/reconcile`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ atributed: '' }),
    });
    expect(unknown.status).toBe(400);
  });
});
