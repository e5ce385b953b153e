import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRoutes } from '../../src/server/routes/dashboard.js';
import type { GatewayContext } from '../../src/server/context.js';
import { ADMIN_TOKEN, deliveryRows, simUploads, waitFor } from '../gateway/harness.js';
import { SEEDED, SEEDED_EVENTS, startSeededGateway, type SeededGateway } from './seed.js';

// The dashboard's read API over HTTP against the seeded gateway: token required everywhere, the overview's
// series, the inspector's lookups, dead letters with filters and paging, and replay-all by filter.

let seeded: SeededGateway;

async function api(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? ADMIN_TOKEN}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${seeded.gateway.url}${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  seeded = await startSeededGateway();
});

afterAll(async () => {
  await seeded?.close();
});

describe('dashboard admin API', () => {
  it('answers 401 without the admin token on every data route', async () => {
    for (const path of ['/api/dashboard', '/api/overview', '/api/events/search?q=1001', '/api/dead-letters']) {
      expect((await api(path, { token: null })).status).toBe(401);
      expect((await api(path, { token: 'wrong-token-0000000000' })).status).toBe(401);
    }
    expect((await api('/api/dead-letters/replay', { method: 'POST', body: {}, token: null })).status).toBe(401);
  });

  it('serves the dashboard shell at / without data and with a strict content security policy', async () => {
    const res = await fetch(`${seeded.gateway.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<div id="app">');
    expect(html).not.toContain(SEEDED.dead);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${seeded.gateway.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${seeded.gateway.url}/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  it('overview: events in and each destination outcome per bucket, and the queue', async () => {
    const { status, body } = await api('/api/overview?range=1h');
    expect(status).toBe(200);
    expect(body.bucket_ms).toBe(60_000);
    expect(body.activity.events_in).toHaveLength(60);
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(total(body.activity.events_in)).toBe(SEEDED_EVENTS);
    const meta = body.activity.destinations.meta.series;
    expect([total(meta.delivered), total(meta.rejected), total(meta.dead)]).toEqual([SEEDED_EVENTS - 2, 2, 0]);
    const tiktok = body.activity.destinations.tiktok.series;
    // The failed attempt that killed the row counts as dead, not also as retrying.
    expect([total(tiktok.delivered), total(tiktok.dead), total(tiktok.retrying)]).toEqual([SEEDED_EVENTS - 1, 1, 0]);
    expect(body.queue.find((q: { destination_id: string }) => q.destination_id === 'tiktok')).toMatchObject({ dead: 1, pending: 0 });
    expect((await api('/api/overview?range=2y')).status).toBe(400);
  });

  it('event search finds an order by id, by name and by event_id, with rebuilt masked requests', async () => {
    for (const q of [SEEDED.shopifyOrderId, '#1001', `order_${SEEDED.shopifyOrderId}`]) {
      const { body } = await api(`/api/events/search?q=${encodeURIComponent(q)}`);
      expect(body.events.map((e: { event: { event_id: string } }) => e.event.event_id)).toEqual([`order_${SEEDED.shopifyOrderId}`]);
    }
    const { body } = await api(`/api/events/search?q=${SEEDED.rejected}`);
    const [event] = body.events;
    const meta = event.deliveries.find((d: { destination_id: string }) => d.destination_id === 'meta');
    expect(meta).toMatchObject({ status: 'rejected', error_code: 'meta_100_2804019', attempts: 1 });
    expect(meta.attempt_log).toEqual([expect.objectContaining({ http_status: 400, outcome: 'permanent', platform_code: 'meta_100_2804019' })]);
    expect(meta.request.body.data[0].event_id).toBe(SEEDED.rejected);
    const text = JSON.stringify(body);
    expect(text).not.toContain('meta-token');
    expect(text).not.toContain('tiktok-token');
    expect(text).not.toContain('pk_test_0000000000');
    expect(text).not.toContain(`${SEEDED.rejected}@example.com`);
    expect((await api('/api/events/search?q=nothing-like-this')).body.events).toEqual([]);
    expect((await api('/api/events/search?q=')).status).toBe(400);
  });

  it('dead letters: filters by status, destination, reason and time, with paging and the reasons', async () => {
    const all = (await api('/api/dead-letters')).body;
    expect(all.total).toBe(3);
    expect(all.reasons).toEqual([
      { error_code: 'meta_100_2804019', n: 2 },
      { error_code: 'http_503', n: 1 },
    ]);
    expect((await api('/api/dead-letters?status=dead')).body.rows.map((r: { event_id: string }) => r.event_id)).toEqual([SEEDED.dead]);
    expect((await api('/api/dead-letters?destination=meta&reason=meta_100_2804019')).body.total).toBe(2);
    expect((await api('/api/dead-letters?platform=tiktok')).body.total).toBe(1);
    const page2 = (await api('/api/dead-letters?limit=2&offset=2')).body;
    expect([page2.total, page2.rows.length]).toEqual([3, 1]);
    expect((await api(`/api/dead-letters?from=${new Date(Date.now() + 60_000).toISOString()}`)).body.total).toBe(0);
    expect((await api('/api/dead-letters?status=lost')).status).toBe(400);
  });

  it('replay-all re-queues only the rows matching the filter, and the simulator receives them', async () => {
    const before = (await simUploads(seeded.sim, 'tiktok')).length;
    const { status, body } = await api('/api/dead-letters/replay', { method: 'POST', body: { destination: 'tiktok' } });
    expect(status).toBe(200);
    expect(body).toEqual({ replayed: 1, remaining: 0 });
    await waitFor('the replayed TikTok event', async () =>
      (await simUploads(seeded.sim, 'tiktok')).slice(before).some((r) => r.status === 200 && JSON.stringify(r.body).includes(SEEDED.dead)),
    );
    await waitFor('delivered', () => deliveryRows(seeded.gateway.dbPath).some((r) => r.event_id === SEEDED.dead && r.destination_id === 'tiktok' && r.status === 'delivered'));
    expect((await api('/api/dead-letters')).body.total).toBe(2);
  });
});

describe('dashboard route without built assets', () => {
  it('answers a page saying to run npm run build', async () => {
    const app = Fastify();
    await app.register(dashboardRoutes, { distDir: mkdtempSync(join(tmpdir(), 'mk-nodist-')) } as unknown as GatewayContext);
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('npm run build');
    await app.close();
  });
});
