import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAdminReads } from '../../src/outbox/admin-reads.contract.js';
import { hashedEvent } from '../../src/outbox/contract.js';
import { loadAdminStatements, type AdminStatement } from '../../src/outbox/postgres/admin-queries.js';
import { PostgresOutboxStore } from '../../src/outbox/postgres/store.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/outbox/postgres/testing/database.js';

// The dashboard's reads on PostgreSQL: the shared expectations (src/outbox/admin-reads.contract.ts), the browser
// leg's twins in the inspector, and the plans (index ranges only).
let db: ScratchDatabase;
const open: PostgresOutboxStore[] = [];
beforeAll(async () => {
  db = await createScratchDatabase();
});
afterAll(async () => {
  for (const s of open.splice(0)) await s.close();
  await db?.drop();
});

async function fresh(opts: { now?: () => number } = {}): Promise<PostgresOutboxStore> {
  const store = new PostgresOutboxStore(db.url, { ...opts, poolSize: 4 });
  await store.migrate();
  await store.pool.query('TRUNCATE events, deliveries, attempts, webhooks, orders, delivery_totals, delivery_backlog, browser_contexts');
  return store;
}

describeAdminReads('postgres', (opts) => fresh(opts));

describe('PostgreSQL dashboard reads', () => {
  it('show each delivery row under the event it sends: the server twin after a take-over', async () => {
    const store = await fresh();
    open.push(store);
    const deferred = { destination_id: 'meta', platform: 'meta' as const, status: 'skipped' as const, skip_reason: 'order_webhook_sends_purchase' };
    await store.ingest([{ event: hashedEvent({ event_id: 'order_5' }), source: 'browser', test: false, deliveries: [deferred] }]);
    await store.ingest([{ event: hashedEvent({ event_id: 'order_5' }), source: 'shopify', test: false, deliveries: [{ destination_id: 'meta', platform: 'meta', status: 'pending' }] }]);
    const found = await store.inspectEvents('5');
    expect(found.map((e) => [e.source, e.deliveries.map((d) => `${d.destination_id} ${d.status}`)])).toEqual([
      ['shopify', ['meta pending']],
      ['browser', []],
    ]);
  });

  it('read index ranges only, never the deliveries, attempts or events history whole', async () => {
    // 20,000 events (40,000 delivery rows, 20,000 attempts) an hour before the window: each read of an empty window,
    // or of one event, must touch a few pages of them.
    const T = 1_800_000_000_000;
    let clock = T;
    const store = await fresh({ now: () => clock });
    open.push(store);
    const deliveries = [
      { destination_id: 'meta', platform: 'meta' as const, status: 'pending' as const },
      { destination_id: 'tiktok', platform: 'tiktok' as const, status: 'pending' as const },
    ];
    await store.ingest(Array.from({ length: 20_000 }, (_, i) => ({ event: hashedEvent({ event_id: `e${i}` }), source: 'api' as const, test: false, deliveries })));
    const claimed = await store.claim('meta', 20_000, clock, 60_000);
    await store.complete(claimed.map((c, i) =>
      i % 2 === 0
        ? { delivery_id: c.delivery_id, status: 'delivered' as const, attempt: { at: clock, latency_ms: 5, outcome: 'delivered' } }
        : { delivery_id: c.delivery_id, status: 'dead' as const, attempt: { at: clock, latency_ms: 5, outcome: 'retryable' }, error_code: 'http_503', error_message: 'down' },
    ));
    clock = T + 3_600_000;
    await store.pool.query('ANALYZE');

    const from = T + 3_600_000;
    const to = from + 3_600_000;
    const params: Record<AdminStatement, unknown[]> = {
      'admin-events-in': [from, to, 60_000],
      'admin-attempt-activity': [from, to, 60_000, from - 300_000],
      'admin-finished-activity': [from, to, 60_000],
      'admin-dead-letters': [null, from, to, null, null, null, 10, 0],
      'admin-dead-letters-count': [null, from, to, null, null, null],
      'admin-dead-letter-reasons': [null, from, to, null, null],
      'admin-events-by-id': [['e17', 'order_17']],
      'admin-order-ids-by-name': ['1001'],
      'admin-recent-by-order-id': [100, '1001'],
      'admin-event-deliveries': [['e17']],
      'admin-attempts-of': [[claimed[17]!.delivery_id]],
    };
    const sql = loadAdminStatements();
    // Buffers (8 kB pages) the whole statement touched, index pages included: a scan of a whole index or table
    // here is hundreds of pages, a range or a few point reads a few dozen at most.
    const pages: Record<string, number> = {};
    for (const [name, values] of Object.entries(params) as [AdminStatement, unknown[]][]) {
      const { rows } = await store.pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql[name]}`, values);
      const plan = (rows[0]['QUERY PLAN'] as { Plan: Record<string, number> }[])[0]!.Plan;
      pages[name] = plan['Shared Hit Blocks']! + plan['Shared Read Blocks']!;
    }
    for (const [name, n] of Object.entries(pages)) expect(n, `${name} touched ${n} pages`).toBeLessThanOrEqual(60);
    // The reads are not vacuous: inside the data's own hour they find it.
    const activity = await store.activity({ from: T, to: T + 60_000, bucket_ms: 60_000 });
    expect(activity.events_in).toEqual([{ bucket: 0, n: 20_000 }]);
    expect(activity.deliveries.map((d) => `${d.destination_id} ${d.outcome} ${d.n}`).sort()).toEqual(['meta dead 10000', 'meta delivered 10000']);
    expect((await store.deadLetters({ limit: 1, offset: 0 })).total).toBe(10_000);
  });
});
