import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../config/load.js';
import { openHistoryStore } from '../diagnostics/history/open.js';
import { recordGauge } from '../diagnostics/history/record.js';
import type { HistoryStore } from '../diagnostics/history/types.js';
import { pullQuality } from '../diagnostics/quality/pull.js';
import { openStore } from '../outbox/open.js';
import { createScratchDatabase } from '../outbox/postgres/testing/database.js';
import type { OutboxStore } from '../outbox/types.js';
import { startSimulators, type RunningSimulators } from '../simulators/server.js';
import { alertsSchema } from './config.js';
import { evaluateRules } from './conditions.js';
import { startAlertEngine } from './engine.js';

// The quality_drop rule on the stored dated gauges: real history and outbox stores (SQLite file, PostgreSQL), the
// simulators' quality read APIs told what to report through /_sim/quality, and a webhook receiver on loopback.

const DAY = 86_400_000;
const DAY1 = Date.parse('2026-12-01T09:00:00Z');

let sim: RunningSimulators;
beforeAll(async () => {
  sim = await startSimulators();
});
afterAll(async () => {
  await sim.close();
});

async function setReport(body: unknown): Promise<void> {
  const response = await fetch(
    `${sim.url}/_sim/quality`,
    body === null ? { method: 'DELETE' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  expect(response.ok).toBe(true);
}

const metaReport = (score: number) => ({ meta: { web: [{ event_name: 'Purchase', event_match_quality: { composite_score: score, match_key_feedback: [] } }] } });

function destinations(): LoadedConfig['destinations'] {
  return [
    { id: 'meta-main', platform: 'meta', base_url: sim.url, pixel_id: '1234567890', access_token: 'sim-token', api_version: 'v26.0' },
    { id: 'pin-main', platform: 'pinterest', base_url: sim.url, ad_account_id: '549755885175', access_token: 'sim-token' },
  ] as unknown as LoadedConfig['destinations'];
}

async function withStores(kind: 'SQLite' | 'PostgreSQL', fn: (stores: { history: HistoryStore; store: OutboxStore }) => Promise<void>): Promise<void> {
  let url: string;
  let drop: () => Promise<void>;
  if (kind === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), 'mk-quality-drop-'));
    url = `sqlite:${join(dir, 'matchkey.db')}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const db = await createScratchDatabase('matchkey_quality_drop');
    url = db.url;
    drop = () => db.drop();
  }
  const store = await openStore(url);
  const history = await openHistoryStore(url);
  try {
    await fn({ history, store });
  } finally {
    await history.close();
    await store.close();
    await drop();
  }
}

async function startReceiver(): Promise<{ url: string; received: any[]; close: () => Promise<void> }> {
  const received: any[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise((r) => server.close(() => r())) };
}

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.each(['SQLite', 'PostgreSQL'] as const)('quality_drop on %s', (kind) => {
  it("a pulled Meta score dropping fires one alert to the webhook, and its recovery one resolution", async () => {
    const receiver = await startReceiver();
    try {
      await withStores(kind, async ({ history, store }) => {
        let now = DAY1;
        const config = alertsSchema.parse({
          interval_s: 3600,
          channels: [{ id: 'ops', type: 'webhook', url: receiver.url }],
          rules: { destination_paused: false, quality_drop: { points: 20, points_by_platform: { meta: 1.5 } } },
        });
        const engine = startAlertEngine({ config, store, incidents: history, gauges: history, health: () => [], destinations: destinations(), logger, now: () => now });
        try {
          const pullAndTick = async (report: unknown) => {
            await setReport(report);
            const pulled = await pullQuality(destinations(), history, now);
            expect(pulled.failed).toEqual([]);
            await engine.tick();
          };
          await pullAndTick(metaReport(7.4));
          now += DAY;
          await pullAndTick(metaReport(7.1)); // 0.3 below: within the platform's threshold
          expect(receiver.received).toEqual([]);

          now += DAY;
          await pullAndTick(metaReport(4.1));
          await engine.tick();
          expect(receiver.received).toHaveLength(1);
          const [firing] = receiver.received;
          expect(firing).toMatchObject({ source: 'matchkey', status: 'firing', rule: 'quality_drop', subject: 'meta-main:event_match_quality' });
          expect(firing.message).toBe(
            `Meta Event Match Quality (Meta's score, 0–10) of destination "meta-main" dropped 3.3 points within 7 days: 7.4 on 2026-12-01, 4.1 on 2026-12-03 (alert at 1.5 or more). The dashboard's Match keys page shows which keys the platform now sees less often than Matchkey sends them.`,
          );

          // A later pull the same day still showing the drop: nothing more is sent.
          now += 3_600_000;
          await pullAndTick(metaReport(4.0));
          expect(receiver.received).toHaveLength(1);

          now += DAY;
          await pullAndTick(metaReport(7.2));
          await engine.tick();
          expect(receiver.received.map((m) => m.status)).toEqual(['firing', 'resolved']);
          expect(receiver.received[1]).toMatchObject({ rule: 'quality_drop', subject: 'meta-main:event_match_quality', incident_id: firing.incident_id, resolved_at: now });
          expect(await history.listIncidents()).toEqual([expect.objectContaining({ rule: 'quality_drop', subject: 'meta-main:event_match_quality', resolved_at: now })]);
        } finally {
          await engine.stop();
          await setReport(null);
        }
      });
    } finally {
      await receiver.close();
    }
  }, 30_000);
});

describe('quality_drop rule', () => {
  const NOW = Date.parse('2026-12-10T12:00:00Z');
  const day = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString().slice(0, 10);
  const evaluate = (store: OutboxStore, history: HistoryStore, rule: unknown) =>
    evaluateRules({
      rules: alertsSchema.parse({ rules: { destination_paused: false, quality_drop: rule } }).rules,
      store,
      health: () => [],
      destinations: destinations(),
      now: NOW,
      startedAt: NOW - 30 * DAY,
      gauges: history,
    });

  it('reads hand-entered scores on their own scale, and gives no verdict on a series no longer read', async () => {
    await withStores('SQLite', async ({ history, store }) => {
      await recordGauge(history, { platform: 'tiktok', value: 80, date: day(3) }, NOW);
      await recordGauge(history, { platform: 'tiktok', value: 45, date: day(0) }, NOW);
      await recordGauge(history, { platform: 'pinterest', value: 60, date: day(2) }, NOW);
      await recordGauge(history, { platform: 'pinterest', value: 50, date: day(1) }, NOW);
      // Read for a destination, before the window only: the pulls stopped.
      await history.recordGauge({ day: day(9), platform: 'meta', destination_id: 'meta-main', kind: 'event_match_quality', value: 7, recorded_at: NOW });
      const { firing, undecided } = await evaluate(store, history, { points: 20, within_days: 7 });
      expect(firing.map((c) => c.subject)).toEqual(['tiktok:match_indicator']);
      expect(firing[0]!.message).toMatch(/^TikTok match indicator \(TikTok's figure\) of tiktok \(entered by hand\) dropped 35 points within 7 days: 80 on 2026-12-07, 45 on 2026-12-10/);
      expect([...undecided]).toEqual(['quality_drop:meta-main:event_match_quality']);
    });
  });

  it('lets a drop older than the window go, and raises nothing for a destination no longer configured', async () => {
    await withStores('SQLite', async ({ history, store }) => {
      const meta = (destination_id: string, daysAgo: number, value: number) =>
        history.recordGauge({ day: day(daysAgo), platform: 'meta', destination_id, kind: 'event_match_quality', value, recorded_at: NOW });
      await meta('meta-main', 5, 8);
      await meta('meta-main', 4, 5);
      await meta('meta-main', 0, 5);
      await meta('meta-gone', 1, 8);
      await meta('meta-gone', 0, 2);
      expect((await evaluate(store, history, { points: 2, within_days: 7 })).firing.map((c) => c.subject)).toEqual(['meta-main:event_match_quality']);
      // Over the last 3 days the score held at 5: the lower score is the new normal.
      expect(await evaluate(store, history, { points: 2, within_days: 3 })).toEqual({ firing: [], undecided: new Set() });
    });
  });

  it("reads Google's pulled upload success rate with its own threshold", async () => {
    await withStores('SQLite', async ({ history, store }) => {
      const google = (daysAgo: number, value: number) =>
        history.recordGauge({ day: day(daysAgo), platform: 'google', destination_id: 'g-ads', kind: 'upload_success_rate', value, recorded_at: NOW });
      await google(2, 95);
      await google(0, 85);
      const run = (rule: unknown) =>
        evaluateRules({
          rules: alertsSchema.parse({ rules: { destination_paused: false, quality_drop: rule } }).rules,
          store,
          health: () => [],
          destinations: [...destinations(), { id: 'g-ads', platform: 'google' }] as unknown as LoadedConfig['destinations'],
          now: NOW,
          startedAt: NOW - 30 * DAY,
          gauges: history,
        });
      expect((await run({ points: 20 })).firing).toEqual([]);
      const { firing } = await run({ points: 20, points_by_platform: { google: 5 } });
      expect(firing.map((c) => c.subject)).toEqual(['g-ads:upload_success_rate']);
      expect(firing[0]!.message).toMatch(/^Google upload success rate \(Google's %, 0–100\) of destination "g-ads" dropped 10 points within 7 days: 95 on 2026-12-08, 85 on 2026-12-10 \(alert at 5 or more\)/);
    });
  });
});
