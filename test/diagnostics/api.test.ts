import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeDailySnapshot } from '../../src/diagnostics/history/snapshot.js';
import { openHistoryStore } from '../../src/diagnostics/history/open.js';
import type { HistoryStore } from '../../src/diagnostics/history/types.js';
import { SqliteOutboxStore } from '../../src/outbox/sqlite/store.js';
import type { EventSource } from '../../src/outbox/types.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import { diagnosticsRoutes } from '../../src/server/routes/diagnostics.js';
import { hashedEvent, sha } from './hashed-events.js';

// The admin API served on loopback, events and history in a real SQLite file (a browser leg and its server twin
// are stored side by side, as dedup pairing needs).

const TOKEN = 'admin-token-0123456789';
const NOW = Date.parse('2026-11-21T12:00:00Z');
const config = { destinations: [PLATFORMS.meta.placeholderSettings, PLATFORMS.tiktok.placeholderSettings] };

let dir: string;
let outbox: SqliteOutboxStore;
let history: HistoryStore;
let app: FastifyInstance;
let base: string;

async function receive(source: EventSource, id: string, ip: string, email?: string): Promise<void> {
  const user = { client_ip_address: ip, client_user_agent: 'Mozilla/5.0', ...(email ? { em: [sha(email)] } : {}) };
  const event = hashedEvent({ event_id: id, event_time: Math.floor(NOW / 1000) - 600, user });
  await outbox.ingest([{ event, source, test: false, deliveries: [] }]);
}

async function call(method: 'GET' | 'POST', path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mk-diag-api-'));
  const file = join(dir, 'matchkey.db');
  outbox = new SqliteOutboxStore(file, { now: () => NOW - 60_000 });
  await outbox.migrate();
  history = await openHistoryStore(`sqlite:${file}`);
  await receive('shopify', 'order_1', '203.0.113.7', 'a@example.com'); // paired; its browser twin came over IPv6
  await receive('browser', 'order_1', '2001:db8::7');
  await receive('api', 'order_2', '203.0.113.8', 'b@example.com'); // no browser twin
  await receive('browser', 'order_3', '203.0.113.9'); // no server twin
  app = Fastify();
  await app.register(diagnosticsRoutes, { store: outbox, historyStore: history, adminToken: TOKEN, config, clock: () => NOW });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await history.close();
  await outbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('admin diagnostics API', () => {
  it('refuses requests without the admin token', async () => {
    expect((await call('GET', '/api/diagnostics', undefined, null)).status).toBe(401);
    expect((await call('GET', '/api/dedup', undefined, 'wrong-token-0123456789')).status).toBe(401);
    expect((await call('POST', '/api/annotations', { text: 'x' }, null)).status).toBe(401);
  });

  it('GET /api/diagnostics: coverage, readiness and findings over stored events, filtered by platform', async () => {
    const { status, body } = await call('GET', '/api/diagnostics?platform=meta');
    expect(status).toBe(200);
    expect(body.events).toBe(4);
    expect(body.readiness_label).toBe("Matchkey readiness (our estimate, not Meta's Event Match Quality)");
    expect(Object.keys(body.platforms)).toEqual(['meta']);
    // The browser legs are not sent server-side (send_browser_events is off): 2 sendable server events.
    expect(body.platforms.meta).toMatchObject({ events: 4, sendable: 2, coverage: { em: 1, client_ip_address: 1 } });
    const found = Object.fromEntries(body.warnings.map((w: { code: string; examples: string[] }) => [w.code, w.examples]));
    expect(found).toEqual({ IP_VERSION_MISMATCH: ['order_1'], DEDUP_NO_BROWSER_TWIN: ['order_2'] });
  });

  it('GET /api/diagnostics: an empty window has nothing sendable, and a bad range is a 400 naming the parameter', async () => {
    const empty = await call('GET', '/api/diagnostics?from=2026-01-01&to=2026-01-02');
    expect(empty.body).toMatchObject({ events: 0, warnings: [], platforms: { meta: { sendable: 0, readiness: null } } });
    const bad = await call('GET', '/api/diagnostics?from=yesterday');
    expect(bad).toMatchObject({ status: 400, body: { error: { path: 'from' } } });
    expect((await call('GET', '/api/diagnostics?platform=myspace')).body.error.path).toBe('platform');
  });

  it('GET /api/dedup: paired share and orphans on each side per platform', async () => {
    const { body } = await call('GET', '/api/dedup');
    expect(body.platforms.meta).toMatchObject({
      server_events: 2,
      browser_events: 2,
      paired: 1,
      paired_share: 0.5,
      server_orphans: 1,
      browser_orphans: 1,
      name_mismatches: 0,
      examples: { server_orphans: ['order_2'], browser_orphans: ['order_3'] },
    });
    expect(Object.keys(body.platforms)).toEqual(['meta', 'tiktok']);
  });

  it('POST /api/annotations and /api/gauges, then GET /api/diagnostics/history shows each on its own', async () => {
    const note = await call('POST', '/api/annotations', { text: 'sent external_id', date: '2026-11-21' });
    expect(note).toMatchObject({ status: 201, body: { day: '2026-11-21', text: 'sent external_id' } });
    expect(await call('POST', '/api/annotations', { text: '' })).toMatchObject({ status: 400, body: { error: { path: 'text' } } });
    expect(await call('POST', '/api/gauges', { platform: 'meta', value: 6.8 })).toMatchObject({ status: 201, body: { kind: 'event_match_quality' } });
    expect(await call('POST', '/api/gauges', { platform: 'google', value: 6.8 })).toMatchObject({ status: 400, body: { error: { path: 'platform' } } });
    // A second Meta dataset's reading is its own series.
    expect(await call('POST', '/api/gauges', { platform: 'meta', value: 5.2, destination_id: 'meta-eu' })).toMatchObject({ status: 201, body: { destination_id: 'meta-eu' } });
    expect(await call('POST', '/api/gauges', { platform: 'meta', value: 5.2, destination_id: '../x' })).toMatchObject({ status: 400, body: { error: { path: 'destination_id' } } });

    await takeDailySnapshot(outbox, history, '2026-11-21', config, () => NOW);
    const { body } = await call('GET', '/api/diagnostics/history?from=2026-11-01');
    expect(body).toMatchObject({ from: '2026-11-01', to: '2026-11-21', readiness_label: expect.stringContaining('not Meta') });
    expect(body.snapshots.map((s: { day: string; platform: string }) => [s.day, s.platform])).toEqual([
      ['2026-11-21', 'meta'],
      ['2026-11-21', 'tiktok'],
    ]);
    expect(body.annotations.map((a: { text: string }) => a.text)).toEqual(['sent external_id']);
    expect(body.gauges).toEqual({
      meta: { platform: 'meta', kind: 'event_match_quality', label: expect.stringContaining('Meta'), points: [{ day: '2026-11-21', value: 6.8 }] },
      'meta:meta-eu': { platform: 'meta', destination_id: 'meta-eu', kind: 'event_match_quality', label: expect.stringMatching(/Meta.*destination meta-eu$/), points: [{ day: '2026-11-21', value: 5.2 }] },
    });
  });
});

describe('GET /api/quality', () => {
  it("sets the platform's pulled key coverage beside ours and raises the finding where the platform sees far less", async () => {
    expect((await call('GET', '/api/quality', undefined, null)).status).toBe(401);
    // What `matchkey quality pull` stores: Meta reports email on 10% of purchases, and rates Pinterest separately.
    await history.recordGauge({ day: '2026-11-21', platform: 'meta', destination_id: 'meta', kind: 'key_coverage:Purchase:em', value: 10, recorded_at: NOW });
    await history.recordGauge({ day: '2026-11-21', platform: 'meta', destination_id: 'meta', kind: 'key_coverage:Purchase:client_ip_address', value: 100, recorded_at: NOW });
    // Read before destinations were kept: the same series, older, so it is not listed beside the tagged one.
    await history.recordGauge({ day: '2026-11-20', platform: 'meta', kind: 'key_coverage:Purchase:em', value: 12, recorded_at: NOW });
    const { status, body } = await call('GET', '/api/quality');
    expect(status).toBe(200);
    const em = body.keys.find((k: { key: string }) => k.key === 'em');
    expect(body.keys.filter((k: { key: string }) => k.key === 'em')).toHaveLength(1);
    expect(em).toMatchObject({ platform: 'meta', destination_id: 'meta', event: 'purchase', platform_event: 'Purchase', theirs: 10, day: '2026-11-21', disagrees: true });
    expect(em.ours).toBeGreaterThanOrEqual(30);
    expect(body.keys.find((k: { key: string }) => k.key === 'client_ip_address')).toMatchObject({ ours: 100, theirs: 100, disagrees: false });
    expect(body.findings).toEqual([
      expect.objectContaining({ code: 'PLATFORM_COVERAGE_BELOW_SENT', severity: 'warn', platform: 'meta', destination_id: 'meta', event: 'purchase', key: 'em', theirs: 10, fix: expect.stringContaining('Events Manager') }),
    ]);
    // The per-key readings stay out of the history's gauge series, which hold one headline score per platform.
    const historyGauges = (await call('GET', '/api/diagnostics/history?from=2026-11-01&to=2026-11-30')).body.gauges;
    expect(historyGauges.meta.points).toEqual([{ day: '2026-11-21', value: 6.8 }]);
  });

  it("sets Google's upload success rate beside the share its upload answers accepted, and raises the finding where Google processed far fewer", async () => {
    // What `matchkey quality pull` stores for a Google destination (src/diagnostics/quality/pull.ts).
    for (const [kind, value] of [['upload_success_rate', 62], ['upload_accepted_rate', 98], ['upload_errors:PROCESSING_ERROR_REASON_INVALID_GCLID', 36]] as const) {
      await history.recordGauge({ day: '2026-11-21', platform: 'google', destination_id: 'google', kind, value, recorded_at: NOW });
    }
    const { body } = await call('GET', '/api/quality');
    expect(body.scores).toContainEqual({ platform: 'google', destination_id: 'google', kind: 'upload_success_rate', value: 62, day: '2026-11-21' });
    expect(body.uploads).toEqual([
      { platform: 'google', destination_id: 'google', day: '2026-11-21', ours: 98, theirs: 62, errors: [{ code: 'PROCESSING_ERROR_REASON_INVALID_GCLID', share: 36 }], disagrees: true },
    ]);
    expect(body.findings).toContainEqual(
      expect.objectContaining({ code: 'PLATFORM_UPLOADS_BELOW_SENT', severity: 'warn', platform: 'google', destination_id: 'google', ours: 98, theirs: 62, fix: expect.stringContaining('Diagnostics') }),
    );
    // Google's readings are pulled only: they are not a history gauge series (no score of Google's is typed in).
    expect(Object.keys((await call('GET', '/api/diagnostics/history?from=2026-11-01&to=2026-11-30')).body.gauges)).not.toContain('google:google');
  });
});
