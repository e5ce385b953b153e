import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { hashedEvent } from '../outbox/contract.js';
import { openStore } from '../outbox/open.js';
import type { OutboxStore } from '../outbox/types.js';
import { classifyMeta } from '../platforms/meta/classify.js';
import type { CommonSettings, Platform } from '../platforms/types.js';
import { startPlatformServer } from './testing/platform-server.js';
import { testPlatform } from './testing/test-platform.js';
import { startDeliveryWorker, type AttemptObservation, type DeliveryWorker, type DeliveryWorkerOptions } from './worker.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Setup {
  handler?: Parameters<typeof startPlatformServer>[0];
  platform?: Partial<Platform<CommonSettings>>;
  now?: () => number;
  worker?: Partial<DeliveryWorkerOptions>;
}

async function setup(s: Setup = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mk-worker-'));
  const file = join(dir, 'outbox.db');
  const store: OutboxStore = await openStore(`sqlite:${file}`, { secretKey: randomBytes(32), ...(s.now ? { now: s.now } : {}) });
  const server = await startPlatformServer(s.handler);
  const platform = testPlatform(s.platform as Partial<Platform<never>>) as unknown as Platform<CommonSettings>;
  const destination: CommonSettings = { id: 'dest', platform: 'meta', base_url: server.url };
  const observed: AttemptObservation[] = [];
  const errors: unknown[][] = [];
  const logger = { info: () => undefined, warn: () => undefined, error: (...args: unknown[]) => void errors.push(args) };
  let worker: DeliveryWorker | undefined;
  const start = () =>
    (worker = startDeliveryWorker({
      store,
      destinations: [destination],
      delivery: { max_attempts: 12, max_hours: 24, request_timeout_ms: 2000 },
      logger: logger as never,
      observer: { onAttempt: (a) => void observed.push(a) },
      platformFor: () => platform,
      random: () => 0.05,
      ...(s.now ? { now: s.now } : {}),
      ...s.worker,
    }));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  cleanups.push(() => server.close());
  cleanups.push(async () => void (await worker?.stop()));
  const ingest = async (ids: string[], extra: Parameters<typeof hashedEvent>[0] = {}) => {
    await store.ingest(ids.map((id) => ({ event: hashedEvent({ event_id: id, event_time: Math.floor((s.now ?? Date.now)() / 1000), ...extra }), source: 'api', test: false, deliveries: [{ destination_id: 'dest', platform: 'meta', status: 'pending' }] })));
    worker?.wake();
  };
  const counts = async () => (await store.counts((s.now ?? Date.now)())).find((c) => c.destination_id === 'dest');
  const attemptsTable = () => {
    const db = new Database(file, { readonly: true });
    try {
      // Every attempt, in the order it was sent: failures in `attempts`, the one that delivered a row folded onto it.
      return db
        .prepare(
          `SELECT delivery_id, http_status, outcome, platform_code FROM (
             SELECT id AS n, 0 AS folded, delivery_id, at, http_status, outcome, platform_code FROM attempts
             UNION ALL
             SELECT id, 1, id, last_attempt_at, sent_http_status, 'delivered', sent_code FROM deliveries WHERE sent_latency_ms IS NOT NULL
           ) ORDER BY at, folded, n`,
        )
        .all() as { delivery_id: number; http_status: number | null; outcome: string; platform_code: string | null }[];
    } finally {
      db.close();
    }
  };
  const stop = async () => void (await worker?.stop());
  return { store, server, start, stop, ingest, counts, observed, errors, attemptsTable, file };
}

const ids = (n: number, prefix = 'e') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('delivery worker', () => {
  it('delivers stored events in batches as soon as it is woken, recording each attempt', async () => {
    const t = await setup({ platform: { maxBatch: 10 } });
    t.start();
    await t.ingest(ids(25));
    await waitFor(async () => (await t.counts())?.delivered === 25, '25 delivered');
    expect(t.server.requests.map((r) => r.eventIds.length).sort((a, b) => b - a)).toEqual([10, 10, 5]);
    expect(t.server.requests.flatMap((r) => r.eventIds).sort()).toEqual(ids(25).sort());
    expect(t.attemptsTable().filter((a) => a.outcome === 'delivered' && a.http_status === 200)).toHaveLength(25);
    expect(t.observed.reduce((n, o) => n + o.events, 0)).toBe(25);
    expect(t.observed.every((o) => o.destination_id === 'dest' && o.outcome === 'delivered')).toBe(true);
  });

  it('honours Retry-After: the whole destination waits, and the retry comes after the deadline', async () => {
    const t = await setup({
      handler: (_req, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '2' }, body: { code: 'throttled' } } : { status: 200, body: {} }),
    });
    t.start();
    await t.ingest(['first']);
    await waitFor(() => t.server.requests.length === 1, 'the 429');
    await waitFor(async () => (await t.counts())?.retrying === 1, 'the 429 to be recorded');
    await t.ingest(['second']);
    await waitFor(async () => (await t.counts())?.delivered === 2, 'both delivered');
    const [throttled, ...after] = t.server.requests;
    expect(after.length).toBeGreaterThan(0);
    for (const r of after) expect(r.at - throttled!.at).toBeGreaterThanOrEqual(2000);
    expect(t.attemptsTable().map((a) => [a.http_status, a.outcome])).toEqual([
      [429, 'retryable'],
      ...after.flatMap((r) => r.eventIds.map(() => [200, 'delivered'])),
    ]);
  });

  it('caps a year-long Retry-After at delivery.max_retry_after_s and says so in the log', async () => {
    const warnings: unknown[][] = [];
    const t = await setup({
      handler: (_req, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '31536000' }, body: { code: 'throttled' } } : { status: 200, body: {} }),
      worker: {
        delivery: { max_attempts: 12, max_hours: 24, request_timeout_ms: 2000, max_retry_after_s: 1 },
        logger: { info: () => undefined, warn: (...args: unknown[]) => void warnings.push(args), error: () => undefined } as never,
      },
    });
    t.start();
    await t.ingest(['parked']);
    await waitFor(async () => (await t.counts())?.delivered === 1, 'the row delivered after the capped pause');
    const capped = warnings.filter((w) => (w[0] as { capped_to_s?: number }).capped_to_s !== undefined);
    expect(capped).toHaveLength(1);
    expect(capped[0]![0]).toMatchObject({ destination: 'dest', retry_after_s: 31536000, capped_to_s: 1 });
  });

  it('retries through a run of 5xx answers and delivers everything once the platform recovers', async () => {
    const t = await setup({ handler: (_req, i) => (i < 3 ? { status: 503, body: {} } : { status: 200, body: {} }) });
    t.start();
    await t.ingest(ids(40));
    await waitFor(async () => (await t.counts())?.delivered === 40, '40 delivered');
    const statuses = t.attemptsTable().map((a) => a.http_status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(120);
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
    expect(t.observed.slice(0, 3).map((o) => o.outcome)).toEqual(['retryable', 'retryable', 'retryable']);
  });

  it('during an outage sends one probe at a time, at most one request per pause, and drains at once after it', async () => {
    let downUntil = 0;
    const t = await setup({
      handler: () => (Date.now() < downUntil ? { status: 503, body: {} } : { status: 200, body: {} }),
      platform: { maxBatch: 10 },
    });
    downUntil = Date.now() + 3_500;
    t.start();
    await t.ingest(ids(200));
    await waitFor(async () => (await t.counts())?.delivered === 200, '200 delivered', 20_000);
    const failed = t.server.requests.filter((r) => r.at < downUntil);
    // Without the pause, three batches of ten go out side by side and every retry follows its own backoff.
    // With it: the first failures of the batches already in flight, then probes 1 s, 2 s … apart.
    const probes = failed.slice(3);
    for (let i = 1; i < probes.length; i++) expect(probes[i]!.at - probes[i - 1]!.at).toBeGreaterThanOrEqual(950);
    expect(failed.length).toBeLessThanOrEqual(3 + 3);
    // Recovery: the first probe after the outage succeeds and the other 19 batches follow right away.
    const recovered = t.server.requests.find((r) => r.at >= downUntil)!;
    expect(t.server.requests.at(-1)!.at - recovered.at).toBeLessThan(2_000);
    expect(t.observed.filter((o) => o.outcome === 'retryable').length).toBe(failed.length);
  });

  it('isolates one poison event in a whole-batch refusal: only it is rejected', async () => {
    const t = await setup({
      handler: (req) => (req.eventIds.includes('poison') ? { status: 400, body: { code: 'bad_event' } } : { status: 200, body: {} }),
    });
    t.start();
    const batch = ids(32);
    batch.splice(13, 0, 'poison');
    await t.ingest(batch);
    await waitFor(async () => {
      const c = await t.counts();
      return c?.delivered === 32 && c.rejected === 1;
    }, 'split to finish');
    const rejected = t.attemptsTable().filter((a) => a.outcome === 'permanent');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.platform_code).toBe('bad_event');
    // Halving 33 rows to isolate one costs about 2·log2(33) requests, not 33.
    expect(t.server.requests.length).toBeLessThanOrEqual(14);
    expect(t.observed.some((o) => o.outcome === 'split')).toBe(true);
  });

  it('takes an 8-day-old event out before batching: dead too_old, its batch delivered untouched', async () => {
    const t = await setup();
    t.start();
    await t.ingest(['fresh1', 'fresh2']);
    await t.ingest(['stale'], { event_time: Math.floor(Date.now() / 1000) - 8 * 86_400 });
    await waitFor(async () => {
      const c = await t.counts();
      return c?.delivered === 2 && c.dead === 1;
    }, 'fresh delivered, stale dead');
    expect(t.server.requests.flatMap((r) => r.eventIds)).not.toContain('stale');
  });

  it('marks a row dead only after max_attempts AND max_hours since its first attempt', async () => {
    let clock = Date.UTC(2025, 0, 1);
    const t = await setup({
      now: () => clock,
      handler: () => ({ status: 503, body: {} }),
      worker: { delivery: { max_attempts: 3, max_hours: 1, request_timeout_ms: 2000 }, random: () => 0.5 },
    });
    t.start();
    await t.ingest(['doomed']);
    for (let n = 1; n <= 2; n++) {
      await waitFor(() => t.attemptsTable().length === n, `attempt ${n}`);
      clock += 60_000;
      await t.ingest([]); // wakes the worker: the fake clock moved
    }
    await waitFor(() => t.attemptsTable().length === 3, 'attempt 3');
    await waitFor(async () => (await t.counts())?.retrying === 1, 'attempt 3 recorded');
    // Three attempts within two minutes: the attempt budget is spent, the hours are not.
    expect((await t.counts())?.dead).toBe(0);
    clock += 2 * 3_600_000;
    await t.ingest([]);
    await waitFor(async () => (await t.counts())?.dead === 1, 'dead');
    expect(t.attemptsTable()).toHaveLength(4);
  });

  it('parks the destination on an auth failure and logs an error naming it', async () => {
    const t = await setup({ handler: () => ({ status: 401, body: {} }) });
    t.start();
    await t.ingest(['a']);
    await waitFor(async () => (await t.counts())?.retrying === 1, 'auth failure recorded');
    await t.ingest(['b']);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.server.requests).toHaveLength(1);
    expect(t.errors.some((args) => JSON.stringify(args).includes('"destination":"dest"'))).toBe(true);
    expect(t.attemptsTable()[0]).toMatchObject({ outcome: 'auth', http_status: 401 });
  });

  it("pauses the destination on Meta's 100/33 (wrong pixel or a token without access) with an actionable message, instead of dead-lettering each event", async () => {
    // Graph API's answer for an object the token cannot reach (developers.facebook.com/docs/graph-api/guides/error-handling).
    const unsupported = {
      error: {
        message: "Unsupported post request. Object with ID '123' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
        fbtrace_id: 'AbC',
      },
    };
    const t = await setup({ handler: () => ({ status: 400, body: unsupported }), platform: { classify: (r, n) => classifyMeta(r, n) } });
    t.start();
    await t.ingest(['a', 'b']);
    await waitFor(async () => (await t.counts())?.retrying === 2, 'both events kept pending');
    await t.ingest(['c']);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.server.requests).toHaveLength(1);
    expect((await t.counts())?.rejected ?? 0).toBe(0);
    expect(t.attemptsTable()[0]).toMatchObject({ outcome: 'auth', platform_code: 'meta_100_33' });
    expect(JSON.stringify(t.errors)).toContain('check pixel_id');
  });

  it('treats an unreachable platform as retryable and records a network attempt', async () => {
    const t = await setup();
    await t.server.close();
    t.start();
    await t.ingest(['a']);
    await waitFor(() => t.attemptsTable().length >= 1, 'an attempt');
    expect(t.attemptsTable()[0]).toMatchObject({ outcome: 'network', http_status: null, platform_code: 'network' });
    expect((await t.counts())?.retrying).toBe(1);
  });

  it('stop() lets the request in flight finish and releases the rows it had not sent', async () => {
    const t = await setup({ platform: { maxBatch: 2 }, worker: { rateLimits: { dest: { per_second: 0.5, burst: 1 } } } });
    t.start();
    await t.ingest(ids(6));
    await waitFor(async () => (await t.counts())?.delivered === 2, 'first batch delivered');
    await t.stop();
    const c = (await t.counts())!;
    expect(c).toMatchObject({ delivered: 2, pending: 4, retrying: 0 });
    expect(await t.store.claim('dest', 10, Date.now(), 1000)).toHaveLength(4);
    expect(t.server.requests).toHaveLength(1);
  });

  it('fetches an access token once and reuses it until it expires', async () => {
    let fetches = 0;
    const t = await setup({
      handler: (req) => (req.path === '/token' ? { status: 200, body: { access_token: 'tok-1', expires_in: 3600 } } : { status: 200, body: {} }),
      platform: {
        maxBatch: 1,
        fetchAccessToken: async (settings, post) => {
          fetches++;
          const res = await post(`${settings.base_url}/token`, { grant_type: 'refresh_token' });
          const body = res.body as { access_token: string; expires_in: number };
          return { token: body.access_token, expiresAt: Math.floor(Date.now() / 1000) + body.expires_in };
        },
      },
    });
    t.start();
    await t.ingest(ids(5));
    await waitFor(async () => (await t.counts())?.delivered === 5, '5 delivered');
    expect(fetches).toBe(1);
    const uploads = t.server.requests.filter((r) => r.path !== '/token');
    expect(uploads).toHaveLength(5);
    expect(uploads.every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
  });
});
