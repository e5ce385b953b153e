import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../open.js';
import { SqliteOutboxStore } from './store.js';
import { pendingItem, scratchFiles } from './testing/scratch.js';

const DAY = 86_400_000;
const scratch = scratchFiles('mk-retention-');
const dbFile = scratch.file;
const item = pendingItem;
afterAll(scratch.removeAll);

function indexes(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' ORDER BY name`).pluck().all() as string[]);
  } finally {
    db.close();
  }
}

describe('SQLite retention (retention_days)', () => {
  it('prunes delivered rows and their attempts after the retention age, and a late copy through any leg is not delivered again', async () => {
    const file = dbFile();
    let clock = 1_000_000;
    const s = new SqliteOutboxStore(file, { now: () => clock, retentionMs: 7 * DAY });
    await s.migrate();
    try {
      await s.ingest([item('old'), item('failed'), item('recent')]);
      const attempt = { at: clock, latency_ms: 1, outcome: 'delivered' };
      // 'old' fails once (an attempts row), then is delivered; 'failed' dies.
      let [old, failed] = await s.claim('meta', 2, clock, 60_000);
      await s.complete([
        { delivery_id: old!.delivery_id, status: 'pending', next_attempt_at: clock, attempt: { ...attempt, outcome: 'retryable', http_status: 503 }, error_code: 'http_503', error_message: 'x' },
        { delivery_id: failed!.delivery_id, status: 'dead', attempt: { ...attempt, outcome: 'retryable' }, error_code: 'http_503', error_message: 'x' },
      ]);
      [old] = await s.claim('meta', 1, clock, 60_000);
      expect(old!.event.event_id).toBe('old');
      await s.complete([{ delivery_id: old!.delivery_id, status: 'delivered', attempt }]);
      clock += 10 * DAY;
      const [recent] = await s.claim('meta', 1, clock, 60_000);
      await s.complete([{ delivery_id: recent!.delivery_id, status: 'delivered', attempt: { ...attempt, at: clock } }]);

      expect(await s.pruneDelivered(7 * DAY)).toBe(1);
      expect(await s.pruneDelivered(7 * DAY)).toBe(0);
      const db = new Database(file, { readonly: true });
      expect(db.prepare('SELECT e.event_id, d.status FROM deliveries d JOIN events e ON e.id = d.event_ref ORDER BY e.id').all()).toEqual([
        { event_id: 'failed', status: 'dead' },
        { event_id: 'recent', status: 'delivered' },
      ]);
      expect(db.prepare('SELECT count(*) FROM attempts WHERE delivery_id = ?').pluck().get(old!.delivery_id)).toBe(0);
      expect(db.prepare('SELECT count(*) FROM attempts').pluck().get()).toBe(1); // the dead row's history stays
      db.close();

      // Totals still count the pruned row; the event stays for diagnostics and blocks a re-delivery, whichever leg
      // brings the late copy and whatever destinations it plans.
      expect((await s.counts(clock))[0]).toMatchObject({ destination_id: 'meta', delivered: 2, dead: 1, pending: 0 });
      expect((await s.ingest([item('old', ['meta', 'tiktok'])])).items).toEqual([{ stored: false, deliveries_created: 0 }]);
      expect((await s.ingest([item('old', ['meta', 'tiktok'], 'browser')])).items).toEqual([{ stored: true, deliveries_created: 0 }]);
      expect(await s.claim('meta', 10, clock, 60_000)).toEqual([]);
      expect(await s.claim('tiktok', 10, clock, 60_000)).toEqual([]);
      expect((await s.listEvents()).map((e) => `${e.event.event_id}/${e.source}`)).toEqual(['old/shopify', 'failed/shopify', 'recent/shopify', 'old/browser']);
      // An event whose rows were not pruned still takes a new destination from a re-sent copy.
      expect((await s.ingest([item('recent', ['meta', 'tiktok'])])).items).toEqual([{ stored: false, deliveries_created: 1 }]);
    } finally {
      await s.close();
    }
  });

  it('prunes on its own every pruneEveryMs, in batches, while the store runs', async () => {
    const file = dbFile();
    let clock = 1_000_000;
    const s = new SqliteOutboxStore(file, { now: () => clock, retentionMs: DAY, pruneEveryMs: 50 });
    await s.migrate();
    try {
      await s.ingest(Array.from({ length: 2500 }, (_, i) => item(`e${i}`)));
      const claimed = await s.claim('meta', 3000, clock, 60_000);
      await s.complete(claimed.map((c) => ({ delivery_id: c.delivery_id, status: 'delivered' as const, attempt: { at: clock, latency_ms: 1, outcome: 'delivered' } })));
      clock += 2 * DAY;
      const deadline = Date.now() + 10_000;
      const left = () => (new Database(file, { readonly: true }).prepare('SELECT count(*) FROM deliveries').pluck().get() as number);
      while (left() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(left()).toBe(0);
      expect((await s.counts(clock))[0]).toMatchObject({ delivered: 2500 });
    } finally {
      await s.close();
    }
  });

  it('takes retention_days from the sqlite: URL, keeps its index only while retention is on, and refuses a bad value', async () => {
    const file = dbFile();
    const withRetention = await openStore(`sqlite:${file}?retention_days=0.5`);
    expect(indexes(file)).toContain('deliveries_delivered_age');
    await withRetention.close();
    const without = await openStore(`sqlite:${file}`);
    expect(indexes(file)).not.toContain('deliveries_delivered_age');
    await without.close();

    for (const bad of ['0', '-1', 'x', '']) {
      await expect(openStore(`sqlite:${dbFile()}?retention_days=${bad}`)).rejects.toThrow(/storage\.url.*retention_days to be a positive number of days|retention_days to be a positive number of days/);
    }
  });
});
