import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Checkpointer, CHECKPOINT_THREAD_LIMITS } from './checkpointer.js';
import { runMigrations } from './migrate.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the checkpoint thread', () => {
  it('runs with the smallest young generation, as its isolate reports it, and answers the counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-checkpointer-'));
    dirs.push(dir);
    const file = join(dir, 'c.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    runMigrations(db);
    db.close();
    const checkpointer = new Checkpointer(file, 50);
    try {
      const rows = await checkpointer.countRows();
      expect(rows).toEqual({ totals: [], pending: [] });
      // V8's default for a worker is 48 (two 16 MiB semi-spaces and the young large-object space).
      expect(checkpointer.resourceLimits?.maxYoungGenerationSizeMb).toBe(CHECKPOINT_THREAD_LIMITS.maxYoungGenerationSizeMb);
      expect(CHECKPOINT_THREAD_LIMITS.maxYoungGenerationSizeMb).toBeLessThanOrEqual(4);
    } finally {
      await checkpointer.stop();
    }
  });
});
