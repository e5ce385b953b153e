import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../outbox/open.js';
import { openHistoryStore } from './sqlite-history-store.js';
import type { DailySnapshot } from './types.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mk-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const snapshot = (day: string, platform: DailySnapshot['platform'], readiness: number): DailySnapshot => ({
  day,
  platform,
  destination_id: platform,
  events: 4,
  sendable: 3,
  coverage: { em: 0.75 },
  readiness,
  findings: [{ code: 'SERVER_IP', severity: 'error', count: 1 }],
  taken_at: 1,
});

describe('SqliteHistoryStore', () => {
  it('stores snapshots, replacing a day’s earlier one, and lists them by day range and platform', async () => {
    const history = await openHistoryStore(`sqlite:${join(dir, 'db.sqlite')}`);
    await history.putSnapshots([snapshot('2026-11-20', 'tiktok', 1), snapshot('2026-11-20', 'meta', 2), snapshot('2026-11-21', 'meta', 3)]);
    await history.putSnapshots([{ ...snapshot('2026-11-21', 'meta', 5), taken_at: 2 }]);
    const all = await history.listSnapshots();
    expect(all.map((s) => [s.day, s.platform, s.readiness])).toEqual([
      ['2026-11-20', 'meta', 2],
      ['2026-11-20', 'tiktok', 1],
      ['2026-11-21', 'meta', 5],
    ]);
    expect(all[0]).toEqual(snapshot('2026-11-20', 'meta', 2));
    expect((await history.listSnapshots({ from: '2026-11-21' })).map((s) => s.readiness)).toEqual([5]);
    expect((await history.listSnapshots({ to: '2026-11-20', platform: 'tiktok' })).map((s) => s.readiness)).toEqual([1]);
    await history.close();
  });

  it('keeps annotations and one gauge reading per platform and day', async () => {
    const history = await openHistoryStore(`sqlite:${join(dir, 'db.sqlite')}`);
    const note = await history.addAnnotation({ day: '2026-11-21', text: 'sent external_id', created_at: 7 });
    await history.addAnnotation({ day: '2026-11-19', text: 'fixed IP forwarding', created_at: 8 });
    expect(note.id).toBeGreaterThan(0);
    expect((await history.listAnnotations()).map((a) => a.text)).toEqual(['fixed IP forwarding', 'sent external_id']);
    expect((await history.listAnnotations({ from: '2026-11-20' })).map((a) => a.day)).toEqual(['2026-11-21']);

    await history.recordGauge({ day: '2026-11-21', platform: 'meta', kind: 'event_match_quality', value: 6.1, recorded_at: 1 });
    await history.recordGauge({ day: '2026-11-21', platform: 'meta', kind: 'event_match_quality', value: 6.8, recorded_at: 2 });
    await history.recordGauge({ day: '2026-11-21', platform: 'pinterest', kind: 'enhanced_match_coverage', value: 40, recorded_at: 2 });
    expect(await history.listGauges({ platform: 'meta' })).toEqual([
      { day: '2026-11-21', platform: 'meta', kind: 'event_match_quality', value: 6.8, recorded_at: 2 },
    ]);
    await history.close();
  });

  it('lives in the outbox’s database file beside the outbox’s own tables, and survives reopening', async () => {
    const file = join(dir, 'matchkey.db');
    const outbox = await openStore(`sqlite:${file}`);
    const history = await openHistoryStore(`sqlite:${file}`);
    await history.addAnnotation({ day: '2026-11-21', text: 'note', created_at: 1 });
    await history.close();
    const reopened = await openHistoryStore(`sqlite:${file}`);
    expect(await reopened.listAnnotations()).toHaveLength(1);
    await reopened.close();
    await outbox.close();

    const db = new Database(file, { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    db.close();
    expect(tables).toEqual(expect.arrayContaining(['diag_snapshots', 'diag_annotations', 'diag_gauges', 'diag_schema_migrations', 'schema_migrations']));
  });

  it('refuses a storage url it cannot open, naming storage.url', async () => {
    await expect(openHistoryStore('postgres://localhost/matchkey')).rejects.toMatchObject({ path: 'storage.url' });
    await expect(openHistoryStore('mysql://x')).rejects.toMatchObject({ path: 'storage.url' });
  });
});
