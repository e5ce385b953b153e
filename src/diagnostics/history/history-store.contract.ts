import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DailySnapshot, HistoryStore } from './types.js';

// The behaviour every HistoryStore implementation owes (SQLite and PostgreSQL run the same suite).

export interface OpenedHistory {
  history: HistoryStore;
  /** Opens a second store on the same database (reopening, concurrent instances). */
  reopen(): Promise<HistoryStore>;
  cleanup(): Promise<void>;
}

const snapshot = (day: string, platform: DailySnapshot['platform'], readiness: number | null): DailySnapshot => ({
  day,
  platform,
  destination_id: platform,
  events: 4,
  sendable: 3,
  coverage: { em: 0.75, ph: null },
  readiness,
  findings: [{ code: 'SERVER_IP', severity: 'error', count: 1 }],
  taken_at: 1_764_326_400_123,
});

export function historyStoreContract(name: string, open: () => Promise<OpenedHistory>): void {
  describe(`${name} HistoryStore contract`, () => {
    let opened: OpenedHistory;
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => opened.cleanup());

    it('stores snapshots, replacing a day’s earlier one, and lists them by day range and platform', async () => {
      const { history } = opened;
      await history.putSnapshots([snapshot('2026-11-20', 'tiktok', 1), snapshot('2026-11-20', 'meta', 2), snapshot('2026-11-21', 'meta', 3)]);
      await history.putSnapshots([{ ...snapshot('2026-11-21', 'meta', 5), taken_at: 2 }]);
      const all = await history.listSnapshots();
      expect(all.map((s) => [s.day, s.platform, s.readiness, s.taken_at])).toEqual([
        ['2026-11-20', 'meta', 2, 1_764_326_400_123],
        ['2026-11-20', 'tiktok', 1, 1_764_326_400_123],
        ['2026-11-21', 'meta', 5, 2],
      ]);
      expect(all[0]).toEqual(snapshot('2026-11-20', 'meta', 2));
      expect((await history.listSnapshots({ from: '2026-11-21' })).map((s) => s.readiness)).toEqual([5]);
      expect((await history.listSnapshots({ to: '2026-11-20', platform: 'tiktok' })).map((s) => s.readiness)).toEqual([1]);
      await history.putSnapshots([snapshot('2026-11-22', 'klaviyo', null)]);
      // A sampled day says so; a snapshot without `sample` (taken before snapshots said) reads back without it.
      const sampled = { ...snapshot('2026-11-23', 'meta', 4), sample: { rate: 0.25, events_seen: 90_000, events_diagnosed: 19_870 } };
      await history.putSnapshots([sampled]);
      expect(await history.listSnapshots({ from: '2026-11-23' })).toEqual([sampled]);
      expect((await history.listSnapshots({ platform: 'klaviyo' }))[0]?.readiness).toBeNull();
    });

    it('keeps annotations in day order and one gauge reading per platform and day', async () => {
      const { history } = opened;
      const note = await history.addAnnotation({ day: '2026-11-21', text: 'sent external_id', created_at: 7 });
      await history.addAnnotation({ day: '2026-11-19', text: 'fixed IP forwarding', created_at: 8 });
      expect(note).toMatchObject({ day: '2026-11-21', text: 'sent external_id', created_at: 7 });
      expect(note.id).toBeGreaterThan(0);
      expect((await history.listAnnotations()).map((a) => a.text)).toEqual(['fixed IP forwarding', 'sent external_id']);
      expect(await history.listAnnotations({ from: '2026-11-20' })).toEqual([note]);

      await history.recordGauge({ day: '2026-11-21', platform: 'meta', kind: 'event_match_quality', value: 6.1, recorded_at: 1 });
      await history.recordGauge({ day: '2026-11-21', platform: 'meta', kind: 'event_match_quality', value: 6.8, recorded_at: 2 });
      await history.recordGauge({ day: '2026-11-21', platform: 'pinterest', kind: 'enhanced_match_coverage', value: 40, recorded_at: 2 });
      expect(await history.listGauges({ platform: 'meta' })).toEqual([{ day: '2026-11-21', platform: 'meta', kind: 'event_match_quality', value: 6.8, recorded_at: 2 }]);
      expect((await history.listGauges()).map((g) => g.platform)).toEqual(['meta', 'pinterest']);
    });

    it('keeps one gauge series per destination of a platform, beside the platform-wide reading', async () => {
      const { history } = opened;
      const reading = (destination_id: string | undefined, value: number, recorded_at = 1) => ({
        day: '2026-11-21', platform: 'meta' as const, ...(destination_id !== undefined ? { destination_id } : {}), kind: 'event_match_quality', value, recorded_at,
      });
      await history.recordGauge(reading('meta-eu', 7.1));
      await history.recordGauge(reading('meta-us', 5.2));
      await history.recordGauge(reading(undefined, 6.0));
      await history.recordGauge(reading('meta-us', 4.9, 2));
      expect(await history.listGauges({ platform: 'meta' })).toEqual([reading(undefined, 6.0), reading('meta-eu', 7.1), reading('meta-us', 4.9, 2)]);
    });

    it('opens one incident per rule and subject until it is resolved, and lists the open ones', async () => {
      const { history } = opened;
      const first = await history.openIncident({ rule: 'destination_paused', subject: 'meta', message: 'paused', opened_at: 10 });
      expect(first).toMatchObject({ rule: 'destination_paused', subject: 'meta', message: 'paused', opened_at: 10, resolved_at: null });
      expect(await history.openIncident({ rule: 'destination_paused', subject: 'meta', message: 'again', opened_at: 11 })).toBeNull();
      const second = await opened.reopen();
      expect(await second.openIncident({ rule: 'destination_paused', subject: 'meta', message: 'again', opened_at: 12 })).toBeNull();
      expect((await second.listIncidents({ open: true })).map((i) => i.id)).toEqual([first!.id]);
      expect(await second.resolveIncident(first!.id, 20)).toMatchObject({ id: first!.id, resolved_at: 20 });
      expect(await history.resolveIncident(first!.id, 21)).toBeNull();
      await second.close();
      const next = await history.openIncident({ rule: 'destination_paused', subject: 'meta', message: 'paused again', opened_at: 30 });
      expect(next!.id).not.toBe(first!.id);
      expect((await history.listIncidents()).map((i) => [i.message, i.resolved_at])).toEqual([
        ['paused again', null],
        ['paused', 20],
      ]);
      expect(await history.listIncidents({ open: true })).toEqual([next]);
    });

    it('keeps what was written across reopening, and migrating again changes nothing', async () => {
      await opened.history.addAnnotation({ day: '2026-11-21', text: 'note', created_at: 1 });
      const second = await opened.reopen();
      await second.migrate();
      expect((await second.listAnnotations()).map((a) => a.text)).toEqual(['note']);
      await second.close();
    });
  });
}
