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
import { googleSettingsSchema } from '../../platforms/google/settings.js';
import { hashedEvent } from '../../outbox/contract.js';
import { openStore } from '../../outbox/open.js';
import type { DeliveryUpdate, OutboxStore } from '../../outbox/types.js';
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

async function withHistory(kind: 'SQLite' | 'PostgreSQL', fn: (history: HistoryStore, url: string) => Promise<void>): Promise<void> {
  if (kind === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), 'mk-quality-'));
    const url = `sqlite:${join(dir, 'matchkey.db')}`;
    const history = await openHistoryStore(url);
    try {
      await fn(history, url);
    } finally {
      await history.close();
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const db = await createScratchDatabase('matchkey_quality');
    const history = await openHistoryStore(db.url);
    try {
      await fn(history, db.url);
    } finally {
      await history.close();
      await db.drop();
    }
  }
}

const googleBase = { platform: 'google', customer_id: '123-456-7890', conversion_actions: { purchase: '987654321' }, oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' } };
function googleDestinations(): LoadedConfig['destinations'] {
  return [
    googleSettingsSchema.parse({ ...googleBase, id: 'g-ads', api: 'google_ads', developer_token: 'dev-token', base_url: sim.url }),
    googleSettingsSchema.parse({ ...googleBase, id: 'g-dm', base_url: sim.url }),
  ] as LoadedConfig['destinations'];
}

/**
 * Purchases of the last hours as the delivery worker and the requestStatus follow-up (src/delivery/follow-up.ts)
 * leave them: `outcomes` per destination, in order — delivered, or rejected with the code they were given.
 */
async function recordUploads(outbox: OutboxStore, outcomes: Record<string, (string | 'delivered' | 'pending')[]>): Promise<void> {
  const eventTime = Math.floor(NOW / 1000) - 3600;
  const ids = Object.keys(outcomes);
  const count = Math.max(...Object.values(outcomes).map((o) => o.length));
  await outbox.ingest(
    Array.from({ length: count }, (_, i) => ({
      event: hashedEvent({ event_id: `order_${2000 + i}`, event_time: eventTime, commerce: { value: 10, currency: 'USD', order_id: String(2000 + i) } }),
      source: 'shopify' as const,
      test: false,
      deliveries: ids.filter((id) => i < outcomes[id]!.length).map((id) => ({ destination_id: id, platform: 'google' as const, status: 'pending' as const })),
    })),
  );
  for (const id of ids) {
    // The store stamps rows received (and due) at its own clock, an hour before NOW: claimed at the real now.
    const rows = await outbox.claim(id, 100, Date.now() + 60_000, 60_000);
    const attempt = { at: NOW, latency_ms: 80, http_status: 200, outcome: 'delivered' };
    await outbox.complete(
      rows.flatMap((row): DeliveryUpdate[] => {
        const outcome = outcomes[id]![Number(row.event.event_id.slice('order_'.length)) - 2000]!;
        if (outcome === 'pending') return [];
        if (outcome === 'delivered') return [{ delivery_id: row.delivery_id, status: 'delivered' as const, attempt }];
        return [{ delivery_id: row.delivery_id, status: 'rejected' as const, attempt: { ...attempt, outcome: 'permanent', platform_code: outcome }, error_code: outcome, error_message: `${outcome} (request r-1)` }];
      }),
    );
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

describe.each(['SQLite', 'PostgreSQL'] as const)("Google's upload diagnostics into %s", (kind) => {
  it("stores Google Ads' summary and the Data Manager requestStatus figures as dated gauges, each beside Matchkey's accepted share", async () => {
    expect((await setReport(null)).status).toBe(204);
    await withHistory(kind, async (history, url) => {
      const outbox = await openStore(url, { now: () => NOW - 3_600_000 });
      try {
        const processing = 'PROCESSING_ERROR_REASON_INVALID_GCLID';
        await recordUploads(outbox, {
          // Google Ads: all 4 delivered by the upload answer (the partial failures Google finds later are in its summary).
          'g-ads': ['delivered', 'delivered', 'delivered', 'delivered'],
          // Data Manager: 7 processed, 2 refused in Google's processing, 1 refused by the request, 1 still being followed.
          'g-dm': ['delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', processing, processing, 'INVALID_ARGUMENT', 'pending'],
        });
        const result = await pullQuality(googleDestinations(), history, NOW, fetch, outbox);
        expect(result.failed).toEqual([]);
        const [ads, dm] = result.pulled;
        expect(ads).toMatchObject({ platform: 'google', destination_id: 'g-ads', score: 92.9, uploads: { source: 'google_ads_upload_summary', total: 437, successful: 406, accepted_rate: 100 } });
        expect(ads!.uploads!.errors).toEqual([{ code: 'CLICK_NOT_FOUND', share: 5.8 }, { code: 'EXPIRED_EVENT', share: 1.9 }]);
        expect(ads!.uploads!.summary?.daily).toHaveLength(7);
        expect(dm).toMatchObject({ platform: 'google', destination_id: 'g-dm', score: 70, uploads: { source: 'data_manager_request_status', total: 10, successful: 7, success_rate: 70, accepted_rate: 90 } });
        expect(dm!.uploads!.errors).toEqual([{ code: processing, share: 20 }, { code: 'INVALID_ARGUMENT', share: 10 }]);

        const gauges = await history.listGauges({ from: '2026-12-04', to: '2026-12-04', platform: 'google' });
        const value = (destination: string, k: string) => gauges.find((g) => g.destination_id === destination && g.kind === k)?.value;
        expect(value('g-ads', 'upload_success_rate')).toBe(92.9);
        expect(value('g-ads', 'upload_accepted_rate')).toBe(100);
        expect(value('g-ads', 'upload_errors:CLICK_NOT_FOUND')).toBe(5.8);
        expect(value('g-dm', 'upload_success_rate')).toBe(70);
        expect(value('g-dm', 'upload_accepted_rate')).toBe(90);
        expect(value('g-dm', `upload_errors:${processing}`)).toBe(20);
        expect(value('g-dm', 'upload_errors:INVALID_ARGUMENT')).toBe(10);

        // Google Ads: 92.9 against 100 accepted is within the gap; Data Manager: 20 points lost in processing.
        const comparison = compareQuality(await history.listGauges(), {});
        expect(comparison.scores.map((x) => [x.destination_id, x.kind, x.value])).toEqual([['g-ads', 'upload_success_rate', 92.9], ['g-dm', 'upload_success_rate', 70]]);
        expect(comparison.uploads.map((u) => [u.destination_id, u.ours, u.theirs, u.disagrees])).toEqual([['g-ads', 100, 92.9, false], ['g-dm', 90, 70, true]]);
        expect(comparison.uploads[1]!.errors[0]).toEqual({ code: processing, share: 20 });
      } finally {
        await outbox.close();
      }
    });
  });
});

describe('quality pull', () => {
  it("raises a disagreement when Google's summary reports far fewer successful uploads than its upload answers accepted", async () => {
    await withHistory('SQLite', async (history) => {
      expect((await setReport({ google: { client: 'GOOGLE_ADS_API', status: 'NEEDS_ATTENTION', successRate: 0.41, totalEventCount: '100', successfulEventCount: '41', alerts: [{ error: { conversionUploadError: 'CLICK_NOT_FOUND' }, errorPercentage: 0.59 }] } })).status).toBe(200);
      try {
        const [ads] = googleDestinations();
        // No outbox: Matchkey's side is unknown, so nothing disagrees — the score is still stored.
        const result = await pullQuality([ads!], history, NOW);
        expect(result.pulled.map((q) => [q.score, q.uploads?.accepted_rate])).toEqual([[41, null]]);
        await history.recordGauge({ day: '2026-12-04', platform: 'google', destination_id: 'g-ads', kind: 'upload_accepted_rate', value: 99, recorded_at: NOW });
        const comparison = compareQuality(await history.listGauges(), {});
        expect(comparison.uploads).toEqual([{ platform: 'google', destination_id: 'g-ads', day: '2026-12-04', ours: 99, theirs: 41, errors: [{ code: 'CLICK_NOT_FOUND', share: 59 }], disagrees: true }]);
      } finally {
        await setReport(null);
      }
    });
  });

  it('fails a Google Ads destination whose token Google refuses, and says a Data Manager one needs the outbox, without storing anything', async () => {
    await withHistory('SQLite', async (history) => {
      const [ads, dm] = googleDestinations();
      const result = await pullQuality([{ ...ads!, reporting: { access_token: 'expired-token' } } as LoadedConfig['destinations'][number], dm!], history, NOW);
      expect(result.failed.map((f) => [f.destination_id, f.error])).toEqual([['g-ads', expect.stringMatching(/^HTTP 401/)]]);
      expect(result.unsupported).toEqual([{ platform: 'google', destination_id: 'g-dm', note: expect.stringContaining('computed from the outbox') }]);
      expect(await history.listGauges()).toEqual([]);
    });
  });

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
    const google = await setReport({ google: { successRate: 0.5 } });
    expect(google.status).toBe(400);
    expect(((await google.json()) as { error: { path: string } }).error.path).toBe('google');
  });
});
