import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describeAdminReads } from '../admin-reads.contract.js';
import { openStore } from '../open.js';
import { runMigrations } from './migrate.js';
import { readFileSync } from 'node:fs';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mk-admin-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describeAdminReads('sqlite file', (opts) => openStore(`sqlite:${join(tempDir(), 'outbox.db')}`, opts));

// These reads run every few seconds on the connection that ingests: each must be an index range, never a scan of
// the whole deliveries or attempts history.
describe('dashboard reads use indexes', () => {
  const plan = (db: Database.Database, name: string, params: Record<string, unknown>) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8')}`).all(params) as { detail: string }[]).map((r) => r.detail);

  it('never scans deliveries, attempts or events whole', () => {
    const db = new Database(join(tempDir(), 'plan.db'));
    runMigrations(db);
    const window = { from: 0, to: 1, bucket_ms: 1 };
    const filter = { status: null, destination_id: null, platform: null, error_code: null, from: 0, to: 1, limit: 1, offset: 0 };
    const plans: Record<string, string[]> = {
      'admin-events-in': plan(db, 'admin-events-in', window),
      'admin-attempt-activity': plan(db, 'admin-attempt-activity', { ...window, first_id: 1 }),
      'admin-finished-activity': plan(db, 'admin-finished-activity', window),
      'admin-delivered-activity': plan(db, 'admin-delivered-activity', { ...window, first_minute: 0, end_minute: 1 }),
      'admin-dead-letters': plan(db, 'admin-dead-letters', filter),
      'admin-event-deliveries': plan(db, 'admin-event-deliveries', { event_ref: 1 }),
      'admin-attempts-of': plan(db, 'admin-attempts-of', { delivery_ids: '[1]' }),
    };
    for (const [name, details] of Object.entries(plans)) {
      for (const d of details) expect({ name, d }).not.toEqual({ name, d: expect.stringMatching(/^SCAN (d|a|deliveries|attempts|events|delivery_activity)$/) });
    }
    db.close();
  });
});
