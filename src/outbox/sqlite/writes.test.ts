import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from './migrate.js';
import type { WireIngestItem } from './writer.js';
import { InThreadWrites, ThreadWrites, WRITER_THREAD_LIMITS, type WriteExecutor } from './writes.js';

const dirs: string[] = [];
function migratedFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mk-writes-'));
  dirs.push(dir);
  const file = join(dir, 'w.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  runMigrations(db);
  db.close();
  return file;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function wire(eventId: string, eventName: string | null = 'purchase'): WireIngestItem {
  return {
    event_id: eventId,
    event_name: eventName as string,
    source: 'api',
    test: false,
    body: JSON.stringify({ event_id: eventId }),
    hashes: null,
    deliveries: [{ destination_id: 'meta', platform: 'meta', status: 'pending' }],
    sealed: [null],
  };
}

const modes: [string, (file: string) => Promise<{ writes: WriteExecutor; db?: Database.Database }>][] = [
  ['writer thread', async (file) => ({ writes: await ThreadWrites.start(file, 'full') })],
  [
    'calling thread',
    async (file) => {
      const db = new Database(file);
      return { writes: new InThreadWrites(db), db };
    },
  ],
];

describe.each(modes)('outbox writes on the %s', (_mode, open) => {
  it('commits concurrent writes together, rejecting only the failing one with its error, and keeps the rest', async () => {
    const file = migratedFile();
    const { writes, db } = await open(file);
    const results = await Promise.allSettled([
      writes.run({ kind: 'ingest', now: 1, items: [wire('a')] }),
      writes.run({ kind: 'ingest', now: 1, items: [wire('b'), wire('c', null)] }), // NOT NULL event_name: the whole call rolls back
      writes.run({ kind: 'ingest', now: 1, items: [wire('d')] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    expect(writes.stats).toEqual({ commits: 1, operations: 3 });
    await writes.close();
    db?.close();
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT event_id FROM events ORDER BY event_id').pluck().all()).toEqual(['a', 'd']);
    // A first try waits as a queue entry (migration 009), not a row.
    expect(check.prepare('SELECT (SELECT count(*) FROM deliveries) + (SELECT count(*) FROM delivery_queue)').pluck().get()).toBe(2);
    check.close();
  });

  it('keeps the running counts of a group commit to what it committed, with or without a failing write in it', async () => {
    const file = migratedFile();
    const { writes, db } = await open(file);
    const twoDestinations = (eventId: string, eventName: string | null = 'purchase'): WireIngestItem => ({
      ...wire(eventId, eventName),
      deliveries: [
        { destination_id: 'meta', platform: 'meta', status: 'pending' },
        { destination_id: 'tiktok', platform: 'tiktok', status: 'skipped', skip_reason: 'no_match_keys' },
      ],
      sealed: [null, null],
    });
    // A clean group, then one whose sixth write fails after storing its first event (both in one commit each).
    const clean = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => writes.run({ kind: 'ingest', now: 1, items: [twoDestinations(`c${i}`)] })));
    expect(clean.every((r) => r.status === 'fulfilled')).toBe(true);
    const mixed = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        writes.run({ kind: 'ingest', now: 2, items: i === 5 ? [twoDestinations('m5'), twoDestinations('m5b', null)] : [twoDestinations(`m${i}`)] }),
      ),
    );
    expect(mixed.map((r) => r.status)).toEqual(Array.from({ length: 10 }, (_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
    expect((mixed[5] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    // Each value settles its own caller: a write's result is its own (the duplicate below stores nothing).
    const again = await writes.run<{ items: { stored: boolean; deliveries_created: number }[] }>({ kind: 'ingest', now: 3, items: [twoDestinations('m4')] });
    expect(again.items).toEqual([{ stored: false, deliveries_created: 0 }]);
    expect(writes.stats).toEqual({ commits: 3, operations: 21 });
    await writes.close();
    db?.close();
    const check = new Database(file, { readonly: true });
    const events = check.prepare('SELECT event_id FROM events ORDER BY event_id').pluck().all() as string[];
    expect(events).toHaveLength(19);
    expect(events).not.toContain('m5');
    // Skipped deliveries are rows; first tries wait in their destination's queue (migration 009).
    expect(check.prepare(`SELECT destination_id, status, count(*) AS n FROM deliveries GROUP BY 1, 2 ORDER BY 1`).all()).toEqual([
      { destination_id: 'tiktok', status: 'skipped', n: 19 },
    ]);
    expect(check.prepare(`SELECT n.destination_id, count(*) AS n FROM delivery_queue q JOIN destination_numbers n ON n.no = q.destination_no GROUP BY 1`).all()).toEqual([
      { destination_id: 'meta', n: 19 },
    ]);
    // The counts the dashboard and /metrics read agree with the rows: nothing of the failed write was counted.
    expect(check.prepare('SELECT destination_id, retrying, n FROM delivery_backlog WHERE n != 0').all()).toEqual([{ destination_id: 'meta', retrying: 0, n: 19 }]);
    expect(check.prepare('SELECT destination_id, status, n FROM delivery_totals WHERE n != 0').all()).toEqual([{ destination_id: 'tiktok', status: 'skipped', n: 19 }]);
    check.close();
  });
});

describe('the writer thread', () => {
  it('resolves a write only once it is committed, so another connection sees it at once', async () => {
    const file = migratedFile();
    const writes = await ThreadWrites.start(file, 'full');
    const reader = new Database(file, { readonly: true });
    const count = reader.prepare('SELECT count(*) FROM events').pluck();
    const pending = Array.from({ length: 50 }, (_, i) => writes.run({ kind: 'ingest', now: 1, items: [wire(`e${i}`)] }));
    for (const [i, p] of pending.entries()) {
      await p;
      expect(count.get() as number).toBeGreaterThanOrEqual(i + 1);
    }
    await writes.close();
    reader.close();
  });

  it('settles writes requested from separate callbacks while it is busy each on its own, rejecting only the failing one', async () => {
    const file = migratedFile();
    const writes = await ThreadWrites.start(file, 'full');
    const reader = new Database(file, { readonly: true });
    const count = reader.prepare('SELECT count(*) FROM events WHERE event_id = ?').pluck();
    // One write per timer callback (as single-event POSTs arrive), so several gather while a commit runs.
    const requests = await new Promise<Promise<unknown>[]>((resolve) => {
      const out: Promise<unknown>[] = [];
      const next = (i: number): void => {
        if (i === 60) return resolve(out);
        out.push(writes.run({ kind: 'ingest', now: 1, items: [wire(`s${i}`, i === 31 ? null : 'purchase')] }));
        setImmediate(() => next(i + 1));
      };
      next(0);
    });
    const results = await Promise.allSettled(requests);
    for (const [i, r] of results.entries()) {
      expect(r.status).toBe(i === 31 ? 'rejected' : 'fulfilled');
      expect(count.get(`s${i}`)).toBe(i === 31 ? 0 : 1);
    }
    expect((results[31] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    await writes.close();
    reader.close();
  });

  it('runs with a small young generation, as its isolate reports it, and still commits a large batch', async () => {
    const file = migratedFile();
    const writes = await ThreadWrites.start(file, 'full');
    // V8's default for a worker is 48 (two 16 MiB semi-spaces and the young large-object space).
    expect(writes.resourceLimits?.maxYoungGenerationSizeMb).toBe(WRITER_THREAD_LIMITS.maxYoungGenerationSizeMb);
    expect(WRITER_THREAD_LIMITS.maxYoungGenerationSizeMb).toBeLessThanOrEqual(8);
    // A batch far larger than the young generation: 2,000 events of ~10 KB each, one commit.
    const items = Array.from({ length: 2000 }, (_, i) => ({ ...wire(`big${i}`), body: JSON.stringify({ event_id: `big${i}`, pad: 'x'.repeat(10_000) }) }));
    await writes.run({ kind: 'ingest', now: 1, items });
    await writes.close();
    const reader = new Database(file, { readonly: true });
    expect((reader.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(2000);
    reader.close();
  });

  it('refuses writes once closed', async () => {
    const writes = await ThreadWrites.start(migratedFile(), 'full');
    await writes.close();
    await expect(writes.run({ kind: 'release-orphaned-leases', now: 1 })).rejects.toThrow(/closed/);
  });
});
