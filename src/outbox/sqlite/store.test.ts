import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreContract, hashedEvent } from '../contract.js';
import { openStore } from '../open.js';
import type { OutboxStore } from '../types.js';
import { SqliteOutboxStore } from './store.js';
import { WriteQueue } from './write-queue.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mk-outbox-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describeStoreContract('sqlite file', (opts) => openStore(`sqlite:${join(tempDir(), 'nested', 'outbox.db')}`, opts));
// A database file writes on a writer thread by default (writes.ts); the calling-thread mode owes the same.
describeStoreContract('sqlite file, writes on the calling thread', async (opts) => new SqliteOutboxStore(join(tempDir(), 'inline.db'), { ...opts, writerThread: false }));
// `:memory:` has one connection: writes and counts run on the calling thread (no writer or checkpoint thread).
describeStoreContract('sqlite in memory', async (opts) => new SqliteOutboxStore(':memory:', opts));

describe('SQLite outbox', () => {
  it('opens sqlite: URLs, creating the directory, and refuses other schemes', async () => {
    const dir = tempDir();
    const store = await openStore(`sqlite:${join(dir, 'a', 'b', 'x.db')}?synchronous=normal`);
    await store.close();
    expect(existsSync(join(dir, 'a', 'b', 'x.db'))).toBe(true);
    await expect(openStore(`sqlite:${join(dir, 'y.db')}?synchronous=off`)).rejects.toMatchObject({ path: 'storage.url' });
    await expect(openStore('mysql://x')).rejects.toMatchObject({ path: 'storage.url' });
  });

  it('keeps the file in WAL mode with synchronous=FULL by default, in 8 KiB pages', async () => {
    const file = join(tempDir(), 'w.db');
    const store = await openStore(`sqlite:${file}`);
    await store.ingest([{ event: hashedEvent(), source: 'api', test: false, deliveries: [] }]);
    await store.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('page_size', { simple: true })).toBe(8192);
    db.close();
  });

  it('rolls back only the failing write of a group commit', async () => {
    const db = new Database(join(tempDir(), 'q.db'));
    db.exec('CREATE TABLE t (x INTEGER UNIQUE)');
    const queue = new WriteQueue(db, { flushDeferred: () => undefined, discardDeferred: () => undefined });
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    const results = await Promise.allSettled([
      queue.run(() => insert.run(1)),
      queue.run(() => {
        insert.run(2);
        insert.run(1); // violates UNIQUE after inserting 2: the whole operation must vanish
      }),
      queue.run(() => insert.run(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT x FROM t ORDER BY x').pluck().all()).toEqual([1, 3]);
    expect(queue.stats).toEqual({ commits: 1, operations: 3 });
    db.close();
  });

  it('keeps every acknowledged event when the process is SIGKILLed right after acking', async () => {
    const file = join(tempDir(), 'kill.db');
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./testing/ingest-until-killed.ts', import.meta.url)), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: string[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => resolve());
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        acked.push(...lines);
        if (acked.length >= 3000 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
    });
    expect(child.signalCode).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(3000);
    const store = await openStore(`sqlite:${file}`);
    const stored = new Set((await store.listEvents({ limit: 10_000_000 })).map((e) => e.event.event_id));
    await store.close();
    const missing = acked.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
  });

  it('stores each distinct identity hash once, in binary, and reads events stored with hex inline as they are', async () => {
    const file = join(tempDir(), 'hashes.db');
    const store = await openStore(`sqlite:${file}`, {});
    const h = (c: string) => c.repeat(64);
    const event = hashedEvent({ event_id: 'order_new', user: { em: [h('a')], em_google: [h('a')], fn: h('b'), fn_meta: h('b'), ct: h('c') } });
    const legacy = hashedEvent({ event_id: 'order_old', user: { em: [h('d')], fn: h('e') } });
    const meta = [{ destination_id: 'meta', platform: 'meta' as const, status: 'pending' as const }];
    await store.ingest([{ event, source: 'api', test: false, deliveries: meta }, { event: legacy, source: 'api', test: false, deliveries: meta }]);
    await store.close();

    const db = new Database(file);
    const row = db.prepare(`SELECT body, hashes FROM events WHERE event_id = 'order_new'`).get() as { body: string; hashes: Buffer };
    expect(row.body).not.toMatch(/[0-9a-f]{64}/);
    expect(row.hashes.toString('hex')).toBe(h('a') + h('b') + h('c'));
    // An event as stored before migration 007: the hex in its JSON, no hashes.
    db.prepare(`UPDATE events SET body = ?, hashes = NULL WHERE event_id = 'order_old'`).run(JSON.stringify(legacy));
    db.close();

    const reopened = await openStore(`sqlite:${file}`, {});
    try {
      const claimed = await reopened.claim('meta', 10, Date.now(), 60_000);
      expect(claimed.map((c) => c.event)).toEqual([event, legacy]);
      expect((await reopened.listEvents()).map((e) => e.event)).toEqual([event, legacy]);
    } finally {
      await reopened.close();
    }
  });

  it('never writes raw contact values to the .db, -wal or -shm files, before or after delivery', async () => {
    const dir = tempDir();
    const file = join(dir, 'canary.db');
    const canaries = {
      email: 'canary.zqx7@example.org',
      phone_number: '+14155550199',
      first_name: 'Canaryfirstzqx',
      last_name: 'Canarylastzqx',
      external_id: 'canary-ext-zqx',
    };
    const store: OutboxStore = await openStore(`sqlite:${file}`, { secretKey: randomBytes(32) });
    const items = Array.from({ length: 50 }, (_, i) => ({
      event: hashedEvent({ event_id: `order_c${i}`, contact: canaries }),
      source: 'shopify' as const,
      test: false,
      deliveries: [
        { destination_id: 'meta', platform: 'meta' as const, status: 'pending' as const },
        { destination_id: 'klaviyo', platform: 'klaviyo' as const, status: 'pending' as const, needs_contact: true },
      ],
    }));
    await store.ingest(items);
    const scan = () => {
      const found: string[] = [];
      for (const suffix of ['', '-wal', '-shm']) {
        if (!existsSync(file + suffix)) continue;
        const bytes = readFileSync(file + suffix).toString('latin1').toLowerCase();
        for (const value of Object.values(canaries)) if (bytes.includes(value.toLowerCase())) found.push(`${value} in ${suffix || '.db'}`);
      }
      return found;
    };
    expect(existsSync(file + '-wal')).toBe(true);
    expect(scan()).toEqual([]);
    const claimed = await store.claim('klaviyo', 100, Date.now(), 60_000);
    expect(claimed).toHaveLength(50);
    expect(claimed[0]!.event.contact).toEqual(canaries);
    await store.complete(claimed.map((c) => ({ delivery_id: c.delivery_id, status: 'delivered' as const, attempt: { at: Date.now(), latency_ms: 3, http_status: 202, outcome: 'delivered' } })));
    expect(scan()).toEqual([]);
    await store.close();
    expect(scan()).toEqual([]);
  });
});
