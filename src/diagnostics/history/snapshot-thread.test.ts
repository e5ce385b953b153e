import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashedEvent } from '../../outbox/contract.js';
import { openStore } from '../../outbox/open.js';
import { PLATFORMS } from '../../platforms/registry.js';
import { utcDay } from './days.js';
import { openHistoryStore } from './open.js';
import { diagnoseInThread } from '../diagnose-in-thread.js';
import type { CommonSettings } from '../../platforms/types.js';
import { takeDailySnapshotWith } from './snapshot.js';
import type { HistoryStore } from './types.js';

const takeInThread = (url: string, history: Pick<HistoryStore, 'putSnapshots'>, day: string, destinations: readonly CommonSettings[], now = Date.now()) =>
  takeDailySnapshotWith((range, at) => diagnoseInThread(url, range, destinations, at), history, day, now);

describe('a daily snapshot diagnosed in a worker thread (takeDailySnapshotWith)', () => {
  it("computes the day's snapshot in a worker thread from the store file and writes it to the history", async () => {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'mk-snap-')), 'matchkey.db')}`;
    const store = await openStore(url);
    await store.migrate();
    const now = Date.now();
    const em = ['a'.repeat(64)];
    await store.ingest(
      ['1', '2', '3', '4'].map((id) => ({
        event: hashedEvent({ event_id: `order_${id}`, event_time: Math.floor(now / 1000) - 60, user: id === '4' ? { client_ip_address: '203.0.113.9', client_user_agent: 'UA' } : { em } }),
        source: 'api' as const,
        test: false,
        deliveries: [],
      })),
    );
    const day = utcDay(now);
    const history = await openHistoryStore(url);
    const taken = await takeInThread(url, history, day, [PLATFORMS.meta.placeholderSettings], now);
    expect(taken.map((s) => s.platform)).toEqual(['meta']);

    const [snapshot] = await history.listSnapshots();
    expect(snapshot).toMatchObject({ day, platform: 'meta', events: 4, coverage: { em: 0.75 }, sample: { rate: 1, events_seen: 4, events_diagnosed: 4 } });
    await history.close();
    await store.close();
  });

  it('rejects with the reason when the snapshot cannot be taken', async () => {
    const history = { putSnapshots: async () => undefined };
    await expect(takeInThread('sqlite:', history, '2026-11-28', [])).rejects.toThrow(/daily snapshot of 2026-11-28 failed: .*storage\.url/);
  });
});
