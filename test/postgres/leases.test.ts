import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashedEvent } from '../../src/outbox/contract.js';
import { PostgresOutboxStore } from '../../src/outbox/postgres/store.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/outbox/postgres/testing/database.js';
import type { IngestItem } from '../../src/outbox/types.js';

// Several gateway instances on one database: each "instance" here is its own store with its own pool.
let db: ScratchDatabase;
const key = randomBytes(32);
const open: PostgresOutboxStore[] = [];
let clock = 1_000_000;

async function instance(): Promise<PostgresOutboxStore> {
  const s = new PostgresOutboxStore(db.url, { secretKey: key, poolSize: 4, now: () => clock });
  await s.migrate();
  open.push(s);
  return s;
}

function item(eventId: string, destinations = ['meta']): IngestItem {
  return {
    event: hashedEvent({ event_id: eventId }),
    source: 'api',
    test: false,
    deliveries: destinations.map((d) => ({ destination_id: d, platform: 'meta' as const, status: 'pending' as const })),
  };
}

beforeAll(async () => {
  db = await createScratchDatabase();
});
afterEach(async () => {
  clock = 1_000_000;
  const [first] = open;
  await first?.pool.query('TRUNCATE events, deliveries, attempts, webhooks, orders, delivery_totals, delivery_backlog');
  for (const s of open.splice(0)) await s.close();
});
afterAll(async () => {
  await db?.drop();
});

async function row(s: PostgresOutboxStore, id: number) {
  const { rows } = await s.pool.query('SELECT status, lease_expiries, late_completions, attempts, lease_until FROM deliveries WHERE id = $1', [id]);
  return rows[0] as { status: string; lease_expiries: number; late_completions: number; attempts: number; lease_until: number | null };
}

describe('PostgreSQL outbox shared by several instances', () => {
  it('never hands the same row to two instances claiming the same destination at once', async () => {
    const [a, b] = [await instance(), await instance()];
    for (let i = 0; i < 20; i++) await a.ingest(Array.from({ length: 100 }, (_, j) => item(`e${i * 100 + j}`)));
    const seen = new Map<number, string>();
    const drain = async (s: PostgresOutboxStore, name: string) => {
      for (;;) {
        const rows = await s.claim('meta', 37, clock, 60_000);
        if (rows.length === 0) return;
        for (const r of rows) {
          expect(seen.get(r.delivery_id), `row ${r.delivery_id} claimed twice`).toBeUndefined();
          seen.set(r.delivery_id, name);
        }
        await s.complete(rows.map((r) => ({ delivery_id: r.delivery_id, status: 'delivered', attempt: { at: clock, latency_ms: 1, outcome: 'delivered' } })));
      }
    };
    await Promise.all([drain(a, 'a'), drain(b, 'b'), drain(a, 'a'), drain(b, 'b')]);
    expect(seen.size).toBe(2000);
    const byInstance = [...seen.values()];
    expect(byInstance).toContain('a');
    expect(byInstance).toContain('b');
    expect((await a.counts(clock))[0]).toMatchObject({ pending: 0, delivered: 2000 });
    expect(a.leaseStats.lateCompletions + b.leaseStats.lateCompletions).toBe(0);
  });

  it('lets another instance take over an expired lease and ignores the late outcome of the first holder', async () => {
    const [a, b] = [await instance(), await instance()];
    await a.ingest([item('slow')]);
    const [heldByA] = await a.claim('meta', 10, clock, 1000);
    expect(await b.claim('meta', 10, clock + 999, 1000)).toEqual([]);
    const [heldByB] = await b.claim('meta', 10, clock + 1000, 60_000);
    expect(heldByB!.delivery_id).toBe(heldByA!.delivery_id);
    expect((await row(a, heldByA!.delivery_id)).lease_expiries).toBe(1);

    // The first holder wakes up: its renew and release touch nothing, its outcome is refused and counted.
    await a.renewLeases([heldByA!.delivery_id], clock + 999_999);
    await a.release([heldByA!.delivery_id]);
    expect((await row(a, heldByA!.delivery_id)).lease_until).toBe(clock + 61_000);
    const attempt = { at: clock + 1500, latency_ms: 5, http_status: 400, outcome: 'permanent' };
    await a.complete([{ delivery_id: heldByA!.delivery_id, status: 'rejected', attempt, error_code: '100', error_message: 'late' }]);
    expect(a.leaseStats.lateCompletions).toBe(1);
    expect(await row(a, heldByA!.delivery_id)).toMatchObject({ status: 'pending', late_completions: 1, attempts: 0 });

    await b.complete([{ delivery_id: heldByB!.delivery_id, status: 'delivered', attempt: { ...attempt, http_status: 200, outcome: 'delivered' } }]);
    expect(await row(b, heldByB!.delivery_id)).toMatchObject({ status: 'delivered', late_completions: 1, attempts: 1, lease_until: null });
    // Both sends happened and both are in the history: the refused late one in `attempts`, the success folded onto
    // the row it delivered.
    const { rows } = await a.pool.query('SELECT outcome FROM attempts WHERE delivery_id = $1 ORDER BY id', [heldByA!.delivery_id]);
    expect(rows.map((r) => r.outcome)).toEqual(['permanent']);
    const [inspected] = await a.inspectEvents('slow');
    expect(inspected!.deliveries[0]!.attempt_log.map((l) => l.outcome)).toEqual(['permanent', 'delivered']);
    expect((await a.counts(clock))[0]).toMatchObject({ delivered: 1, rejected: 0, pending: 0 });
  });

  it('stores one webhook and one delivery per destination when two instances receive the same order at once', async () => {
    const [a, b] = [await instance(), await instance()];
    const order = { order_id: '77', topic: 'orders/paid' as const, occurred_at: 5000, total: 10, currency: 'EUR' };
    const results = await Promise.all([
      a.ingest([item('order_77', ['meta', 'tiktok'])], { webhook_id: 'wh-77', order }),
      b.ingest([item('order_77', ['meta', 'tiktok'])], { webhook_id: 'wh-77', order }),
      a.ingest([item('order_77', ['meta', 'tiktok'])], { webhook_id: 'wh-77b', order }),
      b.ingest([item('order_77', ['meta', 'tiktok'])]),
    ]);
    expect(results.slice(0, 2).filter((r) => r.duplicate_webhook)).toHaveLength(1);
    expect(results.reduce((n, r) => n + r.items[0]!.deliveries_created, 0)).toBe(2);
    expect(results.filter((r) => r.items[0]!.stored)).toHaveLength(1);
    const { rows } = await a.pool.query('SELECT destination_id FROM deliveries ORDER BY destination_id');
    expect(rows.map((r) => r.destination_id)).toEqual(['meta', 'tiktok']);
    expect(await a.listOrders()).toEqual([order]);
  });

  it('takes the same batch posted to two instances at once, in opposite orders, without a deadlock', async () => {
    const [a, b] = [await instance(), await instance()];
    for (let round = 0; round < 10; round++) {
      const ids = Array.from({ length: 200 }, (_, i) => `r${round}_${i}`);
      const results = await Promise.all([
        a.ingest(ids.map((id) => item(id, ['meta', 'tiktok']))),
        b.ingest([...ids].reverse().map((id) => item(id, ['meta', 'tiktok']))),
      ]);
      const created = results.flatMap((r) => r.items).reduce((n, i) => n + i.deliveries_created, 0);
      expect(created).toBe(400);
    }
    const { rows } = await a.pool.query('SELECT count(*)::int AS n FROM deliveries');
    expect(rows[0].n).toBe(4000);
  });

  it('prunes delivered rows and their attempts after the retention age, and a late copy is not delivered again', async () => {
    const s = await instance();
    await s.ingest([item('old'), item('failed'), item('recent')]);
    const firstTwo = await s.claim('meta', 2, clock, 60_000);
    const old = firstTwo.find((c) => c.event.event_id === 'old');
    const failed = firstTwo.find((c) => c.event.event_id === 'failed');
    const attempt = { at: clock, latency_ms: 1, outcome: 'delivered' };
    await s.complete([
      { delivery_id: old!.delivery_id, status: 'delivered', attempt },
      { delivery_id: failed!.delivery_id, status: 'dead', attempt: { ...attempt, outcome: 'retryable' }, error_code: 'http_503', error_message: 'x' },
    ]);
    clock += 10 * 86_400_000;
    const [recent] = await s.claim('meta', 1, clock, 60_000);
    await s.complete([{ delivery_id: recent!.delivery_id, status: 'delivered', attempt: { ...attempt, at: clock } }]);

    expect(await s.pruneDelivered(7 * 86_400_000)).toBe(1);
    expect(await s.pruneDelivered(7 * 86_400_000)).toBe(0);
    const { rows } = await s.pool.query('SELECT event_id, status FROM deliveries ORDER BY id');
    expect(rows).toEqual([
      { event_id: 'failed', status: 'dead' },
      { event_id: 'recent', status: 'delivered' },
    ]);
    const attempts = await s.pool.query('SELECT count(*)::int AS n FROM attempts WHERE delivery_id = $1', [old!.delivery_id]);
    expect(attempts.rows[0].n).toBe(0);
    // Totals still count the pruned row; the event stays for diagnostics and blocks a re-delivery.
    expect((await s.counts(clock))[0]).toMatchObject({ delivered: 2, dead: 1 });
    expect((await s.ingest([item('old', ['meta', 'tiktok'])])).items).toEqual([{ stored: false, deliveries_created: 0 }]);
    expect(await s.listEvents()).toHaveLength(3);
  });

  it('reports delivery outcomes of purchases for reconciliation', async () => {
    const s = await instance();
    const t = 1_764_326_400;
    clock = t * 1000 + 60_000;
    await s.ingest([
      { ...item('p1', ['meta', 'tiktok']), event: hashedEvent({ event_id: 'p1', event_time: t }) },
      { ...item('v1'), event: hashedEvent({ event_id: 'v1', event_name: 'view_content', event_time: t }) },
      { ...item('p2'), event: hashedEvent({ event_id: 'p2', event_time: t + 86_400 }) },
    ]);
    const out = await s.deliveryOutcomes({ from: t * 1000, to: (t + 3600) * 1000 });
    expect(out).toEqual([
      { destination_id: 'meta', platform: 'meta', event_id: 'p1', event_time: t * 1000, status: 'pending', attempts: 0, test: false },
      { destination_id: 'tiktok', platform: 'meta', event_id: 'p1', event_time: t * 1000, status: 'pending', attempts: 0, test: false },
    ]);
  });
});
