import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../config/load.js';
import { createScratchDatabase } from '../../outbox/postgres/testing/database.js';
import { startSimulators, type RunningSimulators } from '../../simulators/server.js';
import { openHistoryStore } from '../history/open.js';
import type { HistoryStore } from '../history/types.js';
import { META_PARTNER_AGENT } from '../../platforms/meta/settings.js';
import { compareQuality } from './compare.js';
import { pullPinterest, pullQuality } from './pull.js';

// Real HTTP to the simulators' quality read APIs, real history stores (SQLite file and PostgreSQL).

let sim: RunningSimulators;
beforeAll(async () => {
  sim = await startSimulators();
});
afterAll(async () => {
  await sim.close();
});

const NOW = Date.parse('2026-12-04T09:00:00Z');

function destinations(token = 'sim-token'): LoadedConfig['destinations'] {
  return [
    { id: 'meta-main', platform: 'meta', base_url: sim.url, pixel_id: '1234567890', access_token: token, api_version: 'v26.0' },
    { id: 'pin-main', platform: 'pinterest', base_url: sim.url, ad_account_id: '549755885175', access_token: token },
    { id: 'tt', platform: 'tiktok', base_url: sim.url },
  ] as LoadedConfig['destinations'];
}

async function setReport(body: unknown): Promise<Response> {
  // No content-type on the DELETE: Fastify refuses an empty body declared as JSON, and the reset would not happen.
  return fetch(`${sim.url}/_sim/quality`, body === null ? { method: 'DELETE' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function withHistory(kind: 'SQLite' | 'PostgreSQL', fn: (history: HistoryStore) => Promise<void>): Promise<void> {
  if (kind === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), 'mk-quality-'));
    const history = await openHistoryStore(`sqlite:${join(dir, 'matchkey.db')}`);
    try {
      await fn(history);
    } finally {
      await history.close();
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const db = await createScratchDatabase('matchkey_quality');
    const history = await openHistoryStore(db.url);
    try {
      await fn(history);
    } finally {
      await history.close();
      await db.drop();
    }
  }
}

describe.each(['SQLite', 'PostgreSQL'] as const)('quality pull into %s', (kind) => {
  it("stores Meta's and Pinterest's scores and per-key coverage as dated gauges, and says TikTok has no such API", async () => {
    expect((await setReport(null)).status).toBe(204);
    await withHistory(kind, async (history) => {
      const urls: URL[] = [];
      const recordingFetch: typeof fetch = (input, init) => {
        urls.push(new URL(String(input)));
        return fetch(input, init);
      };
      const result = await pullQuality(destinations(), history, NOW, recordingFetch);
      expect(result.failed).toEqual([]);
      // Meta's report is narrowed to the events Matchkey sent: agent_name is the partner_agent of every request.
      const metaUrl = urls.find((u) => u.pathname === '/v26.0/dataset_quality')!;
      expect(metaUrl.searchParams.get('agent_name')).toBe(META_PARTNER_AGENT);
      expect(metaUrl.searchParams.get('dataset_id')).toBe('1234567890');
      expect(metaUrl.searchParams.get('fields')).toMatch(/^web\{event_match_quality,event_name,event_coverage,dedupe_key_feedback,data_freshness\}$/);
      expect(urls.find((u) => u.pathname.endsWith('/conversion_eqs'))?.pathname).toBe('/v5/ad_accounts/549755885175/conversion_eqs');
      expect(result.unsupported).toEqual([{ platform: 'tiktok', destination_id: 'tt', note: expect.stringContaining('no event-quality read API') }]);
      const gauges = await history.listGauges({ from: '2026-12-04', to: '2026-12-04' });
      const value = (platform: string, k: string) => gauges.find((g) => g.platform === platform && g.kind === k)?.value;
      // Each reading names the destination it was read for: a second dataset of the same platform is its own series.
      expect(new Set(gauges.map((g) => `${g.platform}/${g.destination_id}`))).toEqual(new Set(['meta/meta-main', 'pinterest/pin-main']));
      expect(value('meta', 'event_match_quality')).toBe(7.4);
      expect(value('meta', 'key_coverage:Purchase:em')).toBe(97.2);
      expect(value('meta', 'key_coverage:Purchase:fbc')).toBe(23.8);
      expect(value('pinterest', 'event_quality_score')).toBe(66);
      expect(value('pinterest', 'key_coverage:checkout:em')).toBe(96.4);
      expect(gauges.every((g) => g.day === '2026-12-04')).toBe(true);
      const meta = result.pulled.find((q) => q.platform === 'meta')!;
      expect(meta.details?.Purchase).toMatchObject({ event_coverage: { percentage: 92.5 }, data_freshness: { upload_frequency: 'real_time' } });
      expect(meta.diagnostics).toEqual([{ event: 'Purchase', name: 'Send click ID (fbc)', solution: expect.stringContaining('fbclid') }]);
    });
  });
});

describe('quality pull', () => {
  it('reports what the simulator is told, and a key the platform sees far less often than we sent raises a disagreement', async () => {
    await withHistory('SQLite', async (history) => {
      // The day before, the default report also had AddToCart: today's pull no longer does, so it is not "theirs" now.
      expect((await setReport(null)).status).toBe(204);
      await pullQuality(destinations(), history, NOW - 86_400_000);
      const told = await setReport({
        meta: { web: [{ event_name: 'Purchase', event_match_quality: { composite_score: 4.1, match_key_feedback: [{ identifier: 'email', coverage: { percentage: 35 } }, { identifier: 'phone', coverage: { percentage: 60 } }] } }] },
      });
      expect(told.status).toBe(200);
      await pullQuality(destinations(), history, NOW);
      const comparison = compareQuality(await history.listGauges(), {
        meta: { by_event: { purchase: { events: 10, sendable: 10, readiness: 8, coverage: { em: 0.98, ph: 0.7 } } } },
      });
      expect(comparison.scores.filter((x) => x.platform === 'meta')).toEqual([{ platform: 'meta', destination_id: 'meta-main', kind: 'event_match_quality', value: 4.1, day: '2026-12-04' }]);
      const rows = comparison.keys.filter((k) => k.platform === 'meta');
      expect(rows).toEqual([
        { platform: 'meta', destination_id: 'meta-main', event: 'purchase', platform_event: 'Purchase', key: 'em', ours: 98, theirs: 35, day: '2026-12-04', disagrees: true },
        { platform: 'meta', destination_id: 'meta-main', event: 'purchase', platform_event: 'Purchase', key: 'ph', ours: 70, theirs: 60, day: '2026-12-04', disagrees: false },
      ]);
    });
    await setReport(null);
  });

  it('keeps two Meta destinations with different datasets apart, in the gauges and in the comparison', async () => {
    const answer = (score: number, email: number) => ({
      web: [{ event_name: 'Purchase', event_match_quality: { composite_score: score, match_key_feedback: [{ identifier: 'email', coverage: { percentage: email } }] } }],
    });
    expect((await setReport({ meta_datasets: { '1234567890': answer(8.1, 97), '2222222222': answer(3.9, 20) } })).status).toBe(200);
    try {
      await withHistory('SQLite', async (history) => {
        const two = [...destinations(), { ...destinations()[0]!, id: 'meta-eu', pixel_id: '2222222222' }] as LoadedConfig['destinations'];
        const result = await pullQuality(two, history, NOW);
        expect(result.pulled.map((q) => [q.destination_id, q.score])).toEqual([['meta-main', 8.1], ['pin-main', 66], ['meta-eu', 3.9]]);
        const comparison = compareQuality(await history.listGauges({ platform: 'meta' }), {
          meta: { by_event: { purchase: { events: 10, sendable: 10, readiness: 8, coverage: { em: 0.98 } } } },
        });
        expect(comparison.scores.map((x) => [x.destination_id, x.value])).toEqual([['meta-eu', 3.9], ['meta-main', 8.1]]);
        expect(comparison.keys.map((k) => [k.destination_id, k.key, k.theirs, k.disagrees])).toEqual([
          ['meta-eu', 'em', 20, true],
          ['meta-main', 'em', 97, false],
        ]);
      });
    } finally {
      await setReport(null);
    }
  });

  it('records an auth failure per destination without stopping the others or storing anything for it', async () => {
    await withHistory('SQLite', async (history) => {
      const result = await pullQuality(destinations('expired-token'), history, NOW);
      expect(result.failed.map((f) => [f.platform, f.error])).toEqual([
        ['meta', expect.stringMatching(/^HTTP 400: Error validating access token/)],
        ['pinterest', 'HTTP 401: Authentication failed.'],
      ]);
      expect(await history.listGauges()).toEqual([]);
    });
  });

  it("reads Pinterest's score with reporting.access_token (ads:read) when the conversion token lacks the scope", async () => {
    await setReport(null);
    const pinterest = { id: 'pin-main', platform: 'pinterest', base_url: sim.url, ad_account_id: '549755885175', access_token: 'expired-conversion-token', reporting: { access_token: 'ads-read' } } as const;
    expect((await pullPinterest(pinterest)).score).toBe(66);
  });

  it('refuses a control body it cannot serve, naming the field', async () => {
    const response = await setReport({ meta: { data: [] } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { path: string } }).error.path).toBe('meta');
    const dataset = await setReport({ meta_datasets: { '1': { data: [] } } });
    expect(dataset.status).toBe(400);
    expect(((await dataset.json()) as { error: { path: string } }).error.path).toBe('meta_datasets.1');
  });
});
