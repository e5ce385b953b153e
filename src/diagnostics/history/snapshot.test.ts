import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashedEvent, sha } from '../../../test/diagnostics/hashed-events.js';
import { SqliteOutboxStore } from '../../outbox/sqlite/store.js';
import { PLATFORMS } from '../../platforms/registry.js';
import { openHistoryStore } from './open.js';
import { scheduleDailySnapshots, takeDailySnapshot } from './snapshot.js';
import type { HistoryStore } from './types.js';

const config = { destinations: [PLATFORMS.meta.placeholderSettings] };
const DAY1 = Date.parse('2026-11-20T10:00:00Z');
const DAY2 = Date.parse('2026-11-21T10:00:00Z');

let dir: string;
let nowMs: number;
let outbox: SqliteOutboxStore;
let history: HistoryStore;
const clock = () => nowMs;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mk-snap-'));
  const file = join(dir, 'matchkey.db');
  outbox = new SqliteOutboxStore(file, { now: clock });
  await outbox.migrate();
  history = await openHistoryStore(`sqlite:${file}`);
});
afterEach(async () => {
  await history.close();
  await outbox.close();
  rmSync(dir, { recursive: true, force: true });
});

async function receive(id: string, withEmail: boolean): Promise<void> {
  const user = { client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0', ...(withEmail ? { em: [sha(`${id}@x.com`)] } : {}) };
  // What the identity pass reports for an event without email, phone or external_id.
  const findings = withEmail ? [] : [{ code: 'NO_DETERMINISTIC_KEY' as const }];
  const event = hashedEvent({ event_id: id, event_time: Math.floor(nowMs / 1000), user, findings });
  await outbox.ingest([{ event, source: 'api', test: false, deliveries: [] }]);
}

describe('daily snapshots', () => {
  it('records one line point per day from the events received that day, across days', async () => {
    nowMs = DAY1;
    await receive('a', true);
    await receive('b', false);
    nowMs = DAY2;
    await receive('c', true);
    await receive('d', true);
    await history.addAnnotation({ day: '2026-11-21', text: 'sent email from checkout', created_at: nowMs });

    const day1 = await takeDailySnapshot(outbox, history, '2026-11-20', config, clock);
    await takeDailySnapshot(outbox, history, '2026-11-21', config, clock);
    expect(day1).toHaveLength(1);
    expect(day1[0]).toMatchObject({ day: '2026-11-20', platform: 'meta', events: 2, sendable: 2, taken_at: DAY2 });
    expect(day1[0]!.findings).toEqual([{ code: 'NO_DETERMINISTIC_KEY', severity: 'error', count: 1 }]);

    const line = await history.listSnapshots({ platform: 'meta' });
    expect(line.map((s) => [s.day, s.coverage.em, s.readiness, s.findings.length])).toEqual([
      ['2026-11-20', 0.5, 3, 1],
      ['2026-11-21', 1, 4.5, 0],
    ]);
  });

  it('refreshes today on each tick and completes yesterday once the day has turned', async () => {
    nowMs = DAY1;
    const scheduler = scheduleDailySnapshots({ store: outbox, history, config, clock, intervalMs: 3_600_000 });
    try {
      await receive('a', true);
      await scheduler.tick();
      expect((await history.listSnapshots()).map((s) => [s.day, s.events])).toEqual([['2026-11-20', 1]]);

      nowMs = DAY1 + 10 * 3_600_000; // 20:00 the same day
      await receive('b', true);
      nowMs = DAY2;
      await receive('c', false);
      await scheduler.tick();
      expect((await history.listSnapshots()).map((s) => [s.day, s.events, s.taken_at])).toEqual([
        ['2026-11-20', 2, DAY2],
        ['2026-11-21', 1, DAY2],
      ]);
    } finally {
      scheduler.stop();
    }
  });

  it("a restart after midnight completes yesterday when the stopped gateway's last snapshot of it was taken before the day ended", async () => {
    nowMs = DAY1;
    const before = scheduleDailySnapshots({ store: outbox, history, config, clock, intervalMs: 3_600_000 });
    await receive('a', true);
    await before.tick();
    nowMs = DAY1 + 13 * 3_600_000 + 50 * 60_000; // 23:50: the gateway stops before its next tick
    await receive('b', true);
    before.stop();

    nowMs = DAY2 - 10 * 3_600_000 + 10 * 60_000; // 00:10 the next day: a new process, its first tick
    const after = scheduleDailySnapshots({ store: outbox, history, config, clock, intervalMs: 3_600_000 });
    try {
      await after.tick();
      expect((await history.listSnapshots()).map((s) => [s.day, s.events, s.taken_at])).toEqual([
        ['2026-11-20', 2, nowMs],
        ['2026-11-21', 0, nowMs],
      ]);
      // Complete now: a second restart the same day leaves it alone.
      const takenAt = nowMs;
      nowMs += 3_600_000;
      const again = scheduleDailySnapshots({ store: outbox, history, config, clock, intervalMs: 3_600_000 });
      await again.tick();
      again.stop();
      expect((await history.listSnapshots({ from: '2026-11-20', to: '2026-11-20' })).map((s) => s.taken_at)).toEqual([takenAt]);
    } finally {
      after.stop();
    }
  });

  it('the first tick takes a yesterday no gateway snapshotted only when events were received that day', async () => {
    nowMs = DAY2;
    const fresh = scheduleDailySnapshots({ store: outbox, history, config, clock, intervalMs: 3_600_000 });
    await fresh.tick();
    fresh.stop();
    expect((await history.listSnapshots()).map((s) => s.day)).toEqual(['2026-11-21']);

    nowMs = DAY1;
    await receive('a', true);
    nowMs = DAY2 + 60_000;
    const next = scheduleDailySnapshots({ store: outbox, history, config, clock, intervalMs: 3_600_000 });
    await next.tick();
    next.stop();
    expect((await history.listSnapshots()).map((s) => [s.day, s.events])).toEqual([
      ['2026-11-20', 1],
      ['2026-11-21', 0],
    ]);
  });
});
