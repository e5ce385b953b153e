import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedEvent } from '../outbox/contract.js';
import { openStore } from '../outbox/open.js';
import type { OutboxStore } from '../outbox/types.js';
import { PLATFORMS } from '../platforms/registry.js';
import { diagnoseInThread, gatewayDiagnoser } from './diagnose-in-thread.js';
import { diagnoseStored } from './stored-events.js';

const destinations = [PLATFORMS.meta.placeholderSettings, PLATFORMS.tiktok.placeholderSettings];
const NOW = Date.now();
const range = { from: NOW - 3_600_000, to: NOW + 600_000 };

let dir: string;
let url: string;
let store: OutboxStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mk-diag-thread-'));
  url = `sqlite:${join(dir, 'matchkey.db')}`;
  store = await openStore(url);
  await store.migrate();
  const em = ['a'.repeat(64)];
  const ingest = (id: string, source: 'api' | 'browser', user: Record<string, unknown>) =>
    store.ingest([{ event: hashedEvent({ event_id: id, event_time: Math.floor(NOW / 1000) - 60, user }), source, test: false, deliveries: [] }]);
  await ingest('order_1', 'api', { em, client_ip_address: '203.0.113.7', client_user_agent: 'UA' });
  await ingest('order_1', 'browser', { client_ip_address: '203.0.113.7', client_user_agent: 'UA' });
  await ingest('order_2', 'api', { client_ip_address: '10.0.0.12', client_user_agent: 'UA' });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('diagnoses in a worker thread', () => {
  it('the same report as on this thread, read from the store file through a read-only connection', async () => {
    const here = await diagnoseStored(store, range, { destinations }, NOW);
    const there = await diagnoseInThread(url, range, destinations, NOW);
    expect(there).toEqual(here);
    expect(there.events).toBe(3);
    expect(there.dedup.platforms.meta).toBeDefined();
  });

  it('rejects with the reason when the store cannot be read', async () => {
    await expect(diagnoseInThread('sqlite:', range, destinations, NOW)).rejects.toThrow(/diagnosis failed: .*storage\.url/);
  });

  it("the gateway's diagnoser answers requests asked together one after the other, each with its own window", async () => {
    const diagnose = gatewayDiagnoser(store, url, destinations);
    const [all, none, again] = await Promise.all([diagnose(range, NOW), diagnose({ from: NOW - 7_200_000, to: NOW - 3_600_000 }, NOW), diagnose(range, NOW)]);
    expect([all.events, none.events, again.events]).toEqual([3, 0, 3]);
    // A failed diagnosis does not stop the next one.
    const broken = gatewayDiagnoser(store, 'sqlite:', destinations);
    await expect(broken(range, NOW)).rejects.toThrow(/diagnosis failed/);
    expect((await diagnose(range, NOW)).events).toBe(3);
  });

  it('an in-memory database is diagnosed on this thread, the only one that can read it', async () => {
    const memory = await openStore('sqlite::memory:');
    await memory.migrate();
    try {
      await memory.ingest([{ event: hashedEvent({ event_id: 'order_9', event_time: Math.floor(NOW / 1000) - 60, user: { em: ['b'.repeat(64)] } }), source: 'api', test: false, deliveries: [] }]);
      expect((await gatewayDiagnoser(memory, 'sqlite::memory:', destinations)(range, NOW)).events).toBe(1);
    } finally {
      await memory.close();
    }
  });
});
