import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/outbox/open.js';
import type { OutboxStore } from '../../src/outbox/types.js';
import { registerJsonBody } from '../../src/server/json-body.js';
import { reconcileRoutes } from '../../src/server/routes/reconcile.js';
import { startSimulators, type RunningSimulators } from '../../src/simulators/server.js';
import { seedMarch } from './store-helpers.js';

// GET /api/reconcile?attributed=platforms over real HTTP on loopback: the route reads the simulated reporting APIs
// (src/simulators/attributed.ts) for the configured destinations and the order log of a real SQLite store.

const TOKEN = 'admin-token-0123456789';
const MARCH = 'from=2025-03-01&to=2025-03-31&as_of=2025-04-15';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const body = async (res: Response): Promise<any> => res.json();

describe('GET /api/reconcile?attributed=platforms', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-attributed-route-'));
  let sim: RunningSimulators;
  let store: OutboxStore;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    sim = await startSimulators();
    await fetch(`${sim.url}/_sim/attributed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ meta: { days: [{ date: '2025-03-10', conversions: 4, value: 240 }] }, pinterest: { days: [{ date: '2025-03-11', conversions: 1, value: 50 }] } }),
    });
    store = await openStore(`sqlite:${join(dir, 'm.db')}`);
    await seedMarch(store);
    app = Fastify();
    registerJsonBody(app);
    const destinations = [
      { id: 'meta', platform: 'meta', pixel_id: '1234567890', access_token: 'capi', api_version: 'v26.0', base_url: sim.url, reporting: { ad_account_id: '4455' } },
      { id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'invalid-conversion-token', base_url: sim.url },
      { id: 'tiktok', platform: 'tiktok', pixel_code: 'C4ABCDEF12345', access_token: 'events', base_url: sim.url },
    ];
    await app.register(reconcileRoutes, { store, adminToken: TOKEN, config: { destinations } });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('answers the report with each read platform apart and its window named; an unreadable one is listed, not an error', async () => {
    const res = await fetch(`${base}/api/reconcile?${MARCH}&attributed=platforms`, { headers: auth });
    expect(res.status).toBe(200);
    const report = await body(res);
    expect(report.platforms.meta).toMatchObject({
      attributed_conversions: 4,
      attributed_value: 240,
      attribution_window: '7d_click,1d_view',
      attribution_window_source: 'platform',
      pulled: [{ destination_id: 'meta', window_detail: 'action_attribution_windows=7d_click,1d_view' }],
    });
    expect(report.platforms.meta.by_day.find((d: { date: string }) => d.date === '2025-03-10')).toMatchObject({ attributed_conversions: 4 });
    expect(report.platforms.pinterest).toBeUndefined();
    expect(report.attributed_pull.failed).toEqual([{ platform: 'pinterest', destination_id: 'pinterest', error: expect.objectContaining({ kind: 'auth', code: 'HTTP_401' }) }]);
    expect(report.attributed_pull.skipped).toEqual([{ platform: 'tiktok', destination_id: 'tiktok', kind: 'not_configured', reason: expect.stringMatching(/reporting\.advertiser_id/) }]);
    expect(report.orders_of_record).toMatchObject({ source: 'internal', count: 5 });
  });

  it('passes a window to the read, and refuses an unknown attributed value naming the field', async () => {
    const res = await fetch(`${base}/api/reconcile?${MARCH}&attributed=platforms&window=${encodeURIComponent('meta=28d_click,1d_view')}`, { headers: auth });
    const report = await body(res);
    expect(report.platforms.meta).toMatchObject({ attribution_window: '28d_click,1d_view', pulled: [{ window_detail: 'action_attribution_windows=28d_click,1d_view' }] });

    const bad = await fetch(`${base}/api/reconcile?${MARCH}&attributed=everything`, { headers: auth });
    expect(bad.status).toBe(400);
    expect((await body(bad)).error.path).toMatch(/attributed/);
    expect((await fetch(`${base}/api/reconcile?${MARCH}&attributed=platforms`)).status).toBe(401);
  });
});
