import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedEvent, sha } from '../../test/diagnostics/hashed-events.js';
import { sampleKey } from '../outbox/event-scan.js';
import { SqliteOutboxStore } from '../outbox/sqlite/store.js';
import type { IngestItem } from '../outbox/types.js';
import { PLATFORMS } from '../platforms/registry.js';
import { computeDailySnapshots } from './history/snapshot.js';
import { diagnose } from './diagnose.js';
import { MAX_DIAGNOSED_EVENTS, sampleStoredEvents } from './sample.js';
import { scopeFromDestinations } from './scope.js';
import { diagnoseStored, storedToInput } from './stored-events.js';

const DAY = '2026-11-20';
const DAY_START = Date.parse(`${DAY}T00:00:00Z`);
const HOUR = 3_600_000;
const config = { destinations: (['meta', 'tiktok', 'google', 'pinterest', 'klaviyo'] as const).map((p) => PLATFORMS[p].placeholderSettings) };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mk-sample-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a day below the sample threshold', () => {
  it('is diagnosed whole: the same coverage, findings and pairing as diagnosing every stored event at once', async () => {
    let clock = DAY_START + HOUR;
    const store = new SqliteOutboxStore(join(dir, 'small.db'), { now: () => clock });
    await store.migrate();
    const t = Math.floor(clock / 1000);
    const items: IngestItem[] = [];
    const add = (source: IngestItem['source'], ...events: Parameters<typeof hashedEvent>[0][]) =>
      items.push(...events.map((e) => ({ event: hashedEvent(e), source, test: false, deliveries: [] })));
    for (let i = 0; i < 40; i++) {
      const user = { client_ip_address: i < 12 ? '198.51.100.1' : `203.0.113.${i}`, client_user_agent: 'Mozilla/5.0', ...(i % 3 ? { em: [sha(`${i}@x.com`)] } : {}) };
      add('api', { event_id: `order_${i}`, event_time: i === 5 ? t - 9 * 86_400 : t - 30, user, findings: i % 3 ? [] : [{ code: 'NO_DETERMINISTIC_KEY' }] });
      // Browser twins: paired, one over IPv6, one under another name; and a browser leg with no server twin.
      if (i % 4 === 0) add('browser', { event_id: `order_${i}`, event_time: t - 31, user: { client_ip_address: i === 8 ? '2001:db8::8' : '203.0.113.200' }, ...(i === 12 ? { event_name: 'add_to_cart' } : {}) });
    }
    add('browser', { event_id: 'lonely', event_time: t - 40, user: {} });
    await store.ingest(items);
    clock += HOUR;

    const range = { from: DAY_START, to: DAY_START + 24 * HOUR };
    const now = clock;
    const whole = diagnose((await store.listEvents(range)).map(storedToInput), scopeFromDestinations(config.destinations), { now: Math.floor(now / 1000) });
    const { sample, ...streamed } = await diagnoseStored(store, range, config, now, { maxEvents: 100 });
    expect(sample).toEqual({ rate: 1, events_seen: 51, events_diagnosed: 51 });
    expect(streamed).toEqual(whole);
    // The fixture does exercise the cross-event findings the sample must not break.
    expect(whole.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['SHARED_IP', 'IP_VERSION_MISMATCH', 'DEDUP_NAME_MISMATCH', 'EVENT_TOO_OLD']));

    const snapshots = await computeDailySnapshots(store, DAY, config, now, { maxEvents: 100 });
    expect(snapshots.map((s) => [s.platform, s.events, s.sendable, s.coverage, s.readiness])).toEqual(
      Object.entries(whole.platforms).map(([p, f]) => [p, f.events, f.sendable, f.coverage, f.readiness]),
    );
    expect(snapshots.find((s) => s.platform === 'meta')!.findings).toEqual(
      whole.warnings.filter((w) => w.platforms.includes('meta')).map((w) => ({ code: w.code, severity: w.severity, count: w.count })),
    );
    await store.close();
  });
});

describe('a day above it (200,000 events in a real SQLite file)', () => {
  const EVENTS = 200_000;
  let store: SqliteOutboxStore;
  beforeAll(async () => {
    let clock = DAY_START;
    store = new SqliteOutboxStore(join(dir, 'large.db'), { now: () => clock, synchronous: 'normal' });
    await store.migrate();
    for (let first = 0; first < EVENTS; first += 2_000) {
      clock = DAY_START + Math.floor((first / EVENTS) * 24 * HOUR);
      const t = Math.floor(clock / 1000);
      // Only the day's last hour sends a phone number: a snapshot of the day's first N events would never see one.
      const lastHour = clock >= DAY_START + 23 * HOUR;
      const items: IngestItem[] = [];
      for (let i = first; i < first + 2_000; i++) {
        const user = { em: [sha(`${i}@x.com`)], client_ip_address: '203.0.113.7', ...(lastHour ? { ph: [sha(`+1555${i}`)] } : {}) };
        const event = hashedEvent({ event_id: `order_${i}`, event_time: t, user });
        items.push({ event, source: 'api', test: false, deliveries: [] });
        if (i % 4 === 0) items.push({ event: hashedEvent({ event_id: `order_${i}`, event_time: t, user: {} }), source: 'browser', test: false, deliveries: [] });
      }
      await store.ingest(items);
    }
  }, 120_000);
  afterAll(async () => store.close());

  const range = { from: DAY_START, to: DAY_START + 24 * HOUR };
  const total = EVENTS + EVENTS / 4;

  it('samples by event_id over the whole day: every hour is in it, both legs of an event together', async () => {
    const { events, sample } = await sampleStoredEvents(store, range);
    expect(sample.events_seen).toBe(total);
    expect(sample.rate).toBeLessThan(1);
    expect(sample.events_diagnosed).toBe(events.length);
    expect(events.length).toBeLessThanOrEqual(MAX_DIAGNOSED_EVENTS);
    expect(events.length).toBeGreaterThan(MAX_DIAGNOSED_EVENTS * 0.8);
    // Every hour holds about 1/24 of the sample, the last one too.
    const perHour = new Array<number>(24).fill(0);
    for (const e of events) perHour[Math.floor((e.received_at - DAY_START) / HOUR)]!++;
    for (const n of perHour) expect(n).toBeGreaterThan(events.length / 24 / 2);
    // Exactly the event_ids below the rate's bound, each with all its legs.
    const kept = new Set(events.map((e) => e.event.event_id));
    for (const id of kept) expect(sampleKey(id)).toBeLessThan(2 ** 32 * sample.rate);
    const legs = new Map<string, string[]>();
    for (const e of events) legs.set(e.event.event_id, [...(legs.get(e.event.event_id) ?? []), e.source]);
    for (const [id, sources] of legs) expect(sources.sort()).toEqual(Number(id.slice(6)) % 4 === 0 ? ['api', 'browser'] : ['api']);
  });

  it('halves on the way when more events come than were counted, ending with exactly the sample at its final rate', async () => {
    // As if every event arrived after the count: the scan starts at rate 1 and halves as the sample overflows.
    const { events, sample } = await sampleStoredEvents({ countEvents: async () => 0, scanEvents: (q) => store.scanEvents(q) }, range, { maxEvents: 3_000 });
    expect(sample.rate).toBeLessThan(1);
    expect(events.length).toBeLessThanOrEqual(3_000);
    const expected: string[] = [];
    for (let i = 0; i < EVENTS; i++) {
      if (sampleKey(`order_${i}`) >= 2 ** 32 * sample.rate) continue;
      expected.push(`order_${i}/api`);
      if (i % 4 === 0) expected.push(`order_${i}/browser`);
    }
    expect(events.map((e) => `${e.event.event_id}/${e.source}`).sort()).toEqual(expected.sort());
  });

  it("gives the day's snapshot its count, and coverage from every hour (the phone numbers of the last one)", async () => {
    const snapshots = await computeDailySnapshots(store, DAY, { destinations: [PLATFORMS.meta.placeholderSettings] }, range.to);
    const [meta] = snapshots;
    expect(meta).toMatchObject({ platform: 'meta', events: total, sample: { events_seen: total } });
    expect(meta!.sample!.rate).toBeLessThan(1);
    // Browser legs are not sent server-side: the sendable share is the api legs', scaled to the day.
    expect(meta!.sendable).toBeGreaterThan(EVENTS * 0.9);
    expect(meta!.sendable).toBeLessThan(EVENTS * 1.1);
    expect(meta!.coverage.em).toBe(1);
    expect(meta!.coverage.ph).toBeGreaterThan(1 / 24 / 2);
    expect(meta!.coverage.ph).toBeLessThan((1 / 24) * 2);
  });
});
