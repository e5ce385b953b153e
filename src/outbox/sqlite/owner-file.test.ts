import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashedEvent } from '../contract.js';
import { openStore } from '../open.js';
import type { OutboxStore } from '../types.js';
import { ownerPath } from './owner-file.js';

// After a crash, the next gateway on the embedded store sends the crashed one's leased rows at once instead of
// waiting out their lease — unless the owner file names a process that still runs.

const LEASE_MS = 60_000;

async function storeWithLeasedRows(dir: string): Promise<{ store: OutboxStore; file: string }> {
  const file = join(dir, 'matchkey.db');
  const store = await openStore(`sqlite:${file}`);
  await store.migrate();
  await store.ingest(
    ['a', 'b', 'c'].map((id) => ({
      event: hashedEvent({ event_id: `order_${id}` }),
      source: 'api' as const,
      test: false,
      deliveries: [{ destination_id: 'meta', platform: 'meta' as const, status: 'pending' as const }],
    })),
  );
  expect(await store.claim('meta', 10, Date.now(), LEASE_MS)).toHaveLength(3);
  expect(await store.claim('meta', 10, Date.now(), LEASE_MS)).toHaveLength(0);
  return { store, file };
}

const children: ReturnType<typeof spawn>[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

describe('SQLite store ownership', () => {
  it('releases the leases of an owner that no longer runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-owner-'));
    const { store: crashed, file } = await storeWithLeasedRows(dir);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(ownerPath(file), JSON.stringify({ pid: gone, host: hostname() }));

    const next = await openStore(`sqlite:${file}`);
    await next.migrate();
    expect(await next.takeOwnership!()).toBe(3);
    expect(await next.claim('meta', 10, Date.now(), LEASE_MS)).toHaveLength(3);
    await next.close();
    expect(existsSync(ownerPath(file))).toBe(false);
    await crashed.close();
  });

  it('leaves the leases alone while the recorded owner still runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-owner-'));
    const { store: first, file } = await storeWithLeasedRows(dir);
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(alive);
    writeFileSync(ownerPath(file), JSON.stringify({ pid: alive.pid, host: hostname() }));

    const second = await openStore(`sqlite:${file}`);
    await second.migrate();
    expect(await second.takeOwnership!()).toBe(0);
    expect(await second.claim('meta', 10, Date.now(), LEASE_MS)).toHaveLength(0);
    await second.close();
    expect(existsSync(ownerPath(file))).toBe(true);
    await first.close();
  });
});
