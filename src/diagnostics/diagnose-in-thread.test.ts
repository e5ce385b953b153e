import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedEvent } from '../outbox/contract.js';
import { openStore } from '../outbox/open.js';
import type { OutboxStore } from '../outbox/types.js';
import { PLATFORMS } from '../platforms/registry.js';
import { InputError } from '../errors.js';
import { reconcile, resolveWindow } from '../reconcile/run.js';
import { diagnoseInThread, gatewayDiagnoser, gatewayReads } from './diagnose-in-thread.js';
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

describe('reconciliations in the read thread', () => {
  const day = new Date(NOW).toISOString().slice(0, 10);
  const window = resolveWindow({ from: day, to: day, as_of: day });
  const meta = { destination_id: 'meta', platform: 'meta' as const, status: 'pending' as const };

  beforeAll(async () => {
    // Three paid orders as the Shopify webhook stores them (order record + purchase event); meta delivers two.
    for (const id of ['101', '102', '103']) {
      const event = hashedEvent({ event_id: `order_${id}`, event_time: Math.floor(NOW / 1000) - 120, commerce: { value: 20, currency: 'EUR', order_id: id } });
      await store.ingest([{ event, source: 'shopify', test: false, deliveries: [meta] }], {
        order: { order_id: id, topic: 'orders/paid', name: `#${id}`, occurred_at: NOW - 120_000, total: 20, currency: 'EUR', test: false, financial_status: 'paid' },
      });
    }
    const claimed = (await store.claim('meta', 10, Date.now(), 60_000)).filter((c) => c.event.event_id !== 'order_103');
    await store.complete(claimed.map((c) => ({ delivery_id: c.delivery_id, status: 'delivered' as const, attempt: { at: Date.now(), latency_ms: 3, outcome: 'delivered' } })));
  });

  it('gives the report the calling thread gives, the order log and delivery rows read through a read-only connection', async () => {
    const input = { window, orders: 'internal' as const, attributed: [{ name: 'meta.csv', platform: 'meta' as const, text: `Day,Purchases,Purchases conversion value\n${day},2,40\n` }], delivery_platforms: ['meta' as const] };
    const here = await reconcile({ ...input, store });
    const there = await gatewayReads(store, url, destinations).reconcile(input);
    expect(there).toEqual(here);
    expect(there.orders_of_record.count).toBe(3);
    expect(there.delivery.meta).toMatchObject({ accepted: 2, pending: 1, never_accepted_total: 1 });
  });

  it('refuses what the calling thread refuses, as the same InputError (a 400 at the route)', async () => {
    const input = { window, orders: 'internal' as const, attributed: [{ name: 'nonsense.csv', text: 'a,b\n1,2\n' }] };
    const here = await reconcile({ ...input, store }).catch((err: unknown) => err);
    const there = await gatewayReads(store, url, destinations).reconcile(input).catch((err: unknown) => err);
    expect(here).toBeInstanceOf(InputError);
    expect(there).toBeInstanceOf(InputError);
    expect({ message: (there as InputError).message, path: (there as InputError).path, code: (there as InputError).code }).toEqual({
      message: (here as InputError).message,
      path: (here as InputError).path,
      code: (here as InputError).code,
    });
  });
});
