import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashedEvent } from '../../src/outbox/contract.js';
import { openPostgresStore } from '../../src/outbox/postgres/open.js';
import { PostgresOutboxStore } from '../../src/outbox/postgres/store.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/outbox/postgres/testing/database.js';
import { SqliteOutboxStore } from '../../src/outbox/sqlite/store.js';
import { BROWSER_CONTEXT_RETENTION_MS, type EventSource, type IngestItem, type NewDelivery, type OutboxStore } from '../../src/outbox/types.js';

// The browser leg (docs/BROWSER.md) on PostgreSQL, where several instances share the outbox: a browser purchase and
// the order webhook for the same order may arrive at the same moment on two instances, and the webhook's event
// must still take over the row the browser event deferred to it.

let db: ScratchDatabase;
const key = randomBytes(32);
const open: OutboxStore[] = [];
let clock = 1_000_000;

async function instance(now: () => number = () => clock): Promise<PostgresOutboxStore> {
  const s = new PostgresOutboxStore(db.url, { secretKey: key, poolSize: 4, now });
  await s.migrate();
  open.push(s);
  return s;
}

const DESTINATIONS = ['meta', 'tiktok'] as const;

function purchase(orderId: number, source: EventSource, deliveries: NewDelivery[]): IngestItem {
  return {
    event: hashedEvent({ event_id: `order_${orderId}`, commerce: { value: 10, currency: 'USD', order_id: String(orderId) }, custom_data: { leg: source } }),
    source,
    test: false,
    deliveries,
  };
}
const deferred = (): NewDelivery[] => DESTINATIONS.map((d) => ({ destination_id: d, platform: d, status: 'skipped', skip_reason: 'order_webhook_sends_purchase' }));
const pending = (): NewDelivery[] => DESTINATIONS.map((d) => ({ destination_id: d, platform: d, status: 'pending' }));
const paid = (orderId: number) => ({ order_id: String(orderId), topic: 'orders/paid' as const, occurred_at: 5000, total: 10, currency: 'USD' });

async function deliveryRows(s: PostgresOutboxStore) {
  const { rows } = await s.pool.query('SELECT destination_id, event_id, status, skip_reason, event_source FROM deliveries ORDER BY event_id, destination_id');
  return rows as { destination_id: string; event_id: string; status: string; skip_reason: string | null; event_source: string }[];
}

beforeAll(async () => {
  db = await createScratchDatabase();
});
afterEach(async () => {
  clock = 1_000_000;
  const first = open.find((s): s is PostgresOutboxStore => s instanceof PostgresOutboxStore);
  await first?.pool.query('TRUNCATE events, deliveries, attempts, webhooks, orders, delivery_totals, delivery_backlog, browser_contexts');
  for (const s of open.splice(0)) await s.close();
});
afterAll(async () => {
  await db?.drop();
});

describe('PostgreSQL browser leg: take-over of deferred deliveries', () => {
  it('sends the webhook event once per destination when the browser purchase arrives at the same time on another instance', async () => {
    const [browserSide, webhookSide] = [await instance(), await instance()];
    const ORDERS = 60;
    const orders = Array.from({ length: ORDERS }, (_, i) => 1000 + i);
    const results = await Promise.all(
      orders.flatMap((o) => [
        browserSide.ingest([purchase(o, 'browser', deferred())]).then((r) => ({ leg: 'browser', r })),
        webhookSide.ingest([purchase(o, 'shopify', pending())], { webhook_id: `wh-${o}`, order: paid(o) }).then((r) => ({ leg: 'shopify', r })),
      ]),
    );
    for (const { leg, r } of results) {
      expect(r.items[0]!.stored).toBe(true);
      // The webhook always ends up owning its rows: created, or taken over from the browser event.
      if (leg === 'shopify') expect(r.items[0]!.deliveries_created).toBe(DESTINATIONS.length);
    }

    const rows = await deliveryRows(browserSide);
    expect(rows).toHaveLength(ORDERS * DESTINATIONS.length);
    for (const row of rows) expect(row).toMatchObject({ status: 'pending', skip_reason: null, event_source: 'shopify' });
    for (const destination of DESTINATIONS) {
      const claimed = await webhookSide.claim(destination, 1000, clock, 60_000);
      expect(claimed.map((c) => c.event.event_id).sort()).toEqual(orders.map((o) => `order_${o}`).sort());
      expect(claimed.every((c) => c.event.custom_data?.leg === 'shopify')).toBe(true);
    }
    for (const c of await browserSide.counts(clock)) expect(c).toMatchObject({ pending: ORDERS, skipped: 0 });
    const { rows: events } = await browserSide.pool.query('SELECT source, count(*)::int AS n FROM events GROUP BY source ORDER BY source');
    expect(events).toEqual([
      { source: 'browser', n: ORDERS },
      { source: 'shopify', n: ORDERS },
    ]);
  });

  it('takes over a deferred row committed after the webhook statement started (it waited on that row)', async () => {
    const [browserSide, webhookSide] = [await instance(), await instance()];
    const probe = new pg.Client({ connectionString: db.url });
    await probe.connect();
    try {
      // Hold the browser statement after it wrote its deferred rows but before it commits: it ends by adding to
      // its totals row (meta, skipped, its shard), which a transaction here keeps locked. Every shard's row exists,
      // so whichever shard the instance drew, its upsert waits on a lock held here.
      await probe.query(
        "INSERT INTO delivery_totals (destination_id, status, shard, platform, n) SELECT 'meta', 'skipped', s, 'meta', 0 FROM generate_series(0, 32767) s",
      );
      await probe.query('BEGIN');
      await probe.query("SELECT 1 FROM delivery_totals WHERE destination_id = 'meta' AND status = 'skipped' FOR UPDATE");
      // The stores' connections waiting on a lock (only the two ingests below can be).
      const waitingStatements = async () => {
        const { rows } = await probe.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        );
        return rows[0].n as number;
      };
      const until = async (n: number) => {
        for (let i = 0; i < 500 && (await waitingStatements()) < n; i++) await new Promise((r) => setTimeout(r, 10));
        expect(await waitingStatements()).toBe(n);
      };

      const browser = browserSide.ingest([purchase(7, 'browser', deferred())]);
      await until(1);
      // The webhook's snapshot does not include the browser rows (uncommitted); its insert meets them and waits.
      const webhook = webhookSide.ingest([purchase(7, 'shopify', pending())], { webhook_id: 'wh-7', order: paid(7) });
      await until(2);
      await probe.query('COMMIT');
      expect((await browser).items).toEqual([{ stored: true, deliveries_created: 2 }]);
      expect((await webhook).items).toEqual([{ stored: true, deliveries_created: 2 }]);
    } finally {
      await probe.query('ROLLBACK').catch(() => undefined);
      await probe.end();
    }
    const rows = await deliveryRows(browserSide);
    expect(rows.map((r) => [r.destination_id, r.status, r.event_source])).toEqual([
      ['meta', 'pending', 'shopify'],
      ['tiktok', 'pending', 'shopify'],
    ]);
    for (const c of await webhookSide.counts(clock)) expect(c).toMatchObject({ pending: 1, skipped: 0 });
  });

  it('ends each key in the state the SQLite store reaches, whatever the order and grouping of the legs', async () => {
    // Every sequence of up to three deliveries of one (destination, event_id) from these legs, the first ones
    // ingested one call each and the rest in one call (one statement on PostgreSQL): results, totals and the event
    // each store sends must match SQLite's one-after-the-other semantics.
    const LEGS: Record<string, { source: EventSource; test?: boolean; status: 'pending' | 'skipped'; skip_reason?: string }> = {
      browser_pending: { source: 'browser', status: 'pending' },
      browser_deferred: { source: 'browser', status: 'skipped', skip_reason: 'order_webhook_sends_purchase' },
      browser_off: { source: 'browser', status: 'skipped', skip_reason: 'browser_events_off' },
      browser_consent: { source: 'browser', status: 'skipped', skip_reason: 'consent_denied' },
      api_pending: { source: 'api', status: 'pending' },
      shopify_pending: { source: 'shopify', status: 'pending' },
      shopify_test: { source: 'shopify', test: true, status: 'skipped', skip_reason: 'test' },
    };
    const names = Object.keys(LEGS);
    const sequences: string[][] = [];
    const grow = (prefix: string[]) => {
      if (prefix.length > 0) sequences.push(prefix);
      if (prefix.length < 3) for (const n of names) grow([...prefix, n]);
    };
    grow([]);
    const scenarios = sequences.flatMap((legs) => legs.map((_, split) => ({ legs, split })));

    const sqlite = new SqliteOutboxStore(':memory:', { secretKey: key, now: () => clock });
    await sqlite.migrate();
    open.push(sqlite);
    const postgres = await instance();

    const run = async (s: OutboxStore, index: number) => {
      const { legs, split } = scenarios[index]!;
      const destination = `d${index}`;
      const items = legs.map((name, position): IngestItem => {
        const leg = LEGS[name]!;
        const delivery: NewDelivery = { destination_id: destination, platform: 'meta', status: leg.status, ...(leg.skip_reason ? { skip_reason: leg.skip_reason } : {}) };
        return { event: hashedEvent({ event_id: `p${index}`, custom_data: { leg: `${name}#${position}` } }), source: leg.source, test: leg.test ?? false, deliveries: [delivery] };
      });
      const results = [];
      for (const item of items.slice(0, split)) results.push((await s.ingest([item])).items);
      results.push((await s.ingest(items.slice(split))).items);
      const counts = (await s.counts(clock)).find((c) => c.destination_id === destination);
      const sent = (await s.claim(destination, 10, clock, 1000)).map((c) => c.event.custom_data?.leg);
      return { scenario: `${legs.join(' ')} | split ${split}`, results, pending: counts?.pending, skipped: counts?.skipped, sent };
    };
    const expected = [];
    for (let i = 0; i < scenarios.length; i++) expected.push(await run(sqlite, i));
    // Scenarios run eight at a time on PostgreSQL: their calls are also coalesced into shared statements.
    const actual: Awaited<ReturnType<typeof run>>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < scenarios.length) {
          const i = next++;
          actual[i] = await run(postgres, i);
        }
      }),
    );
    expect(actual).toEqual(expected);
    // The suite exercises take-overs at all (a sanity check on the scenarios, not on the store).
    expect(expected.filter((e) => String(e.sent[0]).startsWith('api_pending') && e.scenario.startsWith('browser_deferred')).length).toBeGreaterThan(0);
  }, 120_000);
});

describe('PostgreSQL browser contexts', () => {
  it('are offered by the store, shared by the instances, merged with the newest values, consent replaced whole', async () => {
    const a: OutboxStore = await openPostgresStore(db.url, { now: () => clock });
    open.push(a);
    expect(a.saveBrowserContext).toBeTypeOf('function');
    expect(a.findBrowserContexts).toBeTypeOf('function');
    const b = await instance(() => clock - 50); // a second instance whose clock is a little behind
    await a.saveBrowserContext!(['checkout:t1', 'checkout:t1', 'fbp:fb.1.2.3'], { fbp: 'fb.1.2.3', consent: { marketing: true, limited_data_use: true } });
    await b.saveBrowserContext(['checkout:t1'], { fbc: 'fb.1.9.abc', consent: { marketing: false, limited_data_use: false } });
    expect(await a.findBrowserContexts!(['checkout:t1'], 0)).toEqual([
      {
        join_key: 'checkout:t1',
        context: { fbp: 'fb.1.2.3', fbc: 'fb.1.9.abc', consent: { marketing: false, limited_data_use: false } },
        updated_at: clock, // never moved back by the instance whose clock is behind
      },
    ]);
    expect((await b.findBrowserContexts(['fbp:fb.1.2.3', 'ttp:none'], clock)).map((c) => c.join_key)).toEqual(['fbp:fb.1.2.3']);
  });

  it('drops contexts not updated within the retention period', async () => {
    const s = await instance();
    await s.saveBrowserContext(['cart:old'], { ttp: 'x' });
    clock += BROWSER_CONTEXT_RETENTION_MS + 3_600_000;
    await s.saveBrowserContext(['cart:new'], { ttp: 'y' });
    expect((await s.findBrowserContexts(['cart:old', 'cart:new'], 0)).map((c) => c.join_key)).toEqual(['cart:new']);
    expect(await s.pruneBrowserContexts(clock + 1)).toBe(1);
    expect(await s.findBrowserContexts(['cart:new'], 0)).toEqual([]);
  });
});
