import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { attemptsByDelivery } from '../admin-rows.js';
import { hashedEvent } from '../contract.js';
import type { AttemptRecord, IngestItem, NewDelivery } from '../types.js';
import { loadMigrations, runMigrations } from './migrate.js';
import { PostgresOutboxStore } from './store.js';
import { createScratchDatabase, type ScratchDatabase } from './testing/database.js';

// The attempt that delivers a server event's row is kept on the row (migration 007) instead of in `attempts`; every
// reader of the attempt history (the inspector's log, the dashboard's activity) sees it as before. A browser event's
// row, which its server copy may take over and restart, keeps its attempts in `attempts`.

const T = 1_800_000_000_000;
const MINUTE = 60_000;
const META: NewDelivery = { destination_id: 'meta', platform: 'meta', status: 'pending' };

let db: ScratchDatabase;
let clock = T;
const open: PostgresOutboxStore[] = [];

beforeAll(async () => {
  db = await createScratchDatabase();
});
afterEach(async () => {
  clock = T;
  const [first] = open;
  await first?.pool.query('TRUNCATE events, deliveries, attempts, webhooks, orders, delivery_totals, delivery_backlog');
  for (const s of open.splice(0)) await s.close();
});
afterAll(async () => {
  await db?.drop();
});

async function store(url = db.url): Promise<PostgresOutboxStore> {
  const s = new PostgresOutboxStore(url, { poolSize: 4, now: () => clock });
  await s.migrate();
  open.push(s);
  return s;
}

function item(eventId: string, source: IngestItem['source'] = 'api'): IngestItem {
  return { event: hashedEvent({ event_id: eventId }), source, test: false, deliveries: [META] };
}

function attempt(at: number, outcome: string, http_status: number, platform_code?: string): AttemptRecord {
  return { at, latency_ms: 40.4, http_status, outcome, ...(platform_code ? { platform_code, message: `answered ${http_status}` } : {}) };
}

/** The attempt as read back: latency in whole milliseconds. */
const stored = (a: AttemptRecord): AttemptRecord => ({ ...a, latency_ms: Math.round(a.latency_ms) });

async function logOf(s: PostgresOutboxStore, eventId: string): Promise<AttemptRecord[]> {
  const events = await s.inspectEvents(eventId);
  return events.flatMap((e) => e.deliveries).flatMap((d) => d.attempt_log);
}

async function attemptsRows(s: PostgresOutboxStore, deliveryId: number): Promise<string[]> {
  const { rows } = await s.pool.query('SELECT outcome FROM attempts WHERE delivery_id = $1 ORDER BY id', [deliveryId]);
  return rows.map((r) => r.outcome as string);
}

async function folded(s: PostgresOutboxStore, deliveryId: number): Promise<Record<string, unknown>> {
  const { rows } = await s.pool.query('SELECT last_attempt_at, sent_latency_ms, sent_http_status, sent_code, sent_message FROM deliveries WHERE id = $1', [deliveryId]);
  return rows[0]!;
}

async function activity(s: PostgresOutboxStore, from: number, to: number): Promise<string[]> {
  const a = await s.activity({ from, to, bucket_ms: MINUTE });
  return a.deliveries.map((d) => `${d.bucket} ${d.destination_id} ${d.outcome} ${d.n}`).sort();
}

describe('PostgreSQL: the attempt that delivers a row is folded onto it', () => {
  it('a first-try success writes no attempts row; the inspector and the activity show it', async () => {
    const s = await store();
    await s.ingest([item('e1')]);
    clock = T + MINUTE + 5_000;
    const [row] = await s.claim('meta', 10, clock, 30_000);
    const sent = attempt(T + MINUTE + 1_000, 'delivered', 200, 'fbtrace');
    await s.complete([{ delivery_id: row!.delivery_id, status: 'delivered', attempt: sent }]);

    expect(await attemptsRows(s, row!.delivery_id)).toEqual([]);
    expect(await folded(s, row!.delivery_id)).toEqual({ last_attempt_at: T + MINUTE + 1_000, sent_latency_ms: 40, sent_http_status: 200, sent_code: 'fbtrace', sent_message: 'answered 200' });
    expect(await logOf(s, 'e1')).toEqual([stored(sent)]);
    expect(await activity(s, T, T + 3 * MINUTE)).toEqual(['1 meta delivered 1']);
    expect((await s.counts(clock))[0]).toMatchObject({ delivered: 1, pending: 0 });
  });

  it('a failure then a success: one attempts row, then the folded attempt, in the order they were sent', async () => {
    const s = await store();
    await s.ingest([item('e2')]);
    clock = T + MINUTE + 5_000;
    const [first] = await s.claim('meta', 10, clock, 30_000);
    const failed = attempt(T + MINUTE + 1_000, 'retryable', 503, 'http_503');
    await s.complete([{ delivery_id: first!.delivery_id, status: 'pending', next_attempt_at: clock, attempt: failed, error_code: 'http_503', error_message: 'down' }]);
    clock = T + 2 * MINUTE + 5_000;
    const [retry] = await s.claim('meta', 10, clock, 30_000);
    const sent = attempt(T + 2 * MINUTE + 1_000, 'delivered', 200);
    await s.complete([{ delivery_id: retry!.delivery_id, status: 'delivered', attempt: sent }]);

    expect(await attemptsRows(s, first!.delivery_id)).toEqual(['retryable']);
    expect(await logOf(s, 'e2')).toEqual([stored(failed), stored(sent)]);
    expect(await activity(s, T, T + 3 * MINUTE)).toEqual(['1 meta retrying 1', '2 meta delivered 1']);
  });

  it('a success whose row lost its lease goes to attempts, beside the success folded onto the row by its new holder', async () => {
    const [a, b] = [await store(), await store()];
    await a.ingest([item('e3')]);
    const [heldByA] = await a.claim('meta', 10, clock, 1_000);
    clock += 1_000;
    const [heldByB] = await b.claim('meta', 10, clock, 30_000);
    const byB = attempt(clock, 'delivered', 200, 'b');
    await b.complete([{ delivery_id: heldByB!.delivery_id, status: 'delivered', attempt: byB }]);
    const byA = attempt(clock + 10, 'delivered', 200, 'a');
    await a.complete([{ delivery_id: heldByA!.delivery_id, status: 'delivered', attempt: byA }]);

    expect(await attemptsRows(a, heldByA!.delivery_id)).toEqual(['delivered']);
    expect(await folded(a, heldByA!.delivery_id)).toMatchObject({ sent_code: 'b' });
    expect(await logOf(a, 'e3')).toEqual([stored(byA), stored(byB)]);
    expect((await a.counts(clock))[0]).toMatchObject({ delivered: 1 });
  });

  it("a browser event's row is not folded: its server copy's take-over keeps the browser send in the history", async () => {
    const s = await store();
    await s.ingest([item('order_5', 'browser')]);
    const [row] = await s.claim('meta', 10, clock, 30_000);
    const sent = attempt(clock, 'delivered', 200, 'browser');
    await s.complete([{ delivery_id: row!.delivery_id, status: 'delivered', attempt: sent }]);
    expect(await attemptsRows(s, row!.delivery_id)).toEqual(['delivered']);
    expect(await folded(s, row!.delivery_id)).toMatchObject({ sent_latency_ms: null, sent_code: null });
    clock += MINUTE;
    expect((await s.ingest([item('order_5', 'shopify')])).items).toEqual([{ stored: true, deliveries_created: 1 }]);

    expect(await attemptsRows(s, row!.delivery_id)).toEqual(['delivered']);
    expect(await folded(s, row!.delivery_id)).toEqual({ last_attempt_at: null, sent_latency_ms: null, sent_http_status: null, sent_code: null, sent_message: null });
    expect(await logOf(s, 'order_5')).toEqual([stored(sent)]);
    expect(await activity(s, T, T + 2 * MINUTE)).toEqual(['0 meta delivered 1']);

    // The server copy is sent and delivered in turn: the row's log holds both sends.
    const [server] = await s.claim('meta', 10, clock, 30_000);
    expect(server).toMatchObject({ delivery_id: row!.delivery_id, attempts: 0, event: { event_id: 'order_5' } });
    const serverSent = attempt(clock, 'delivered', 200, 'server');
    await s.complete([{ delivery_id: server!.delivery_id, status: 'delivered', attempt: serverSent }]);
    expect(await logOf(s, 'order_5')).toEqual([stored(sent), stored(serverSent)]);
    expect((await s.counts(clock))[0]).toMatchObject({ delivered: 1, pending: 0 });
  });

  it('a browser send completing while the take-over statement runs keeps its attempt in the history', async () => {
    const s = await store();
    await s.ingest([item('order_6', 'browser')]);
    const [inFlight] = await s.claim('meta', 10, clock, 30_000);

    // Another transaction holds the webhook id the take-over statement inserts first: the statement has taken its
    // snapshot (the browser row pending) and waits there while the browser send completes and folds its attempt.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query("INSERT INTO webhooks (webhook_id, received_at) VALUES ('wh-6', 0)");
      const takeOver = s.ingest([item('order_6', 'shopify')], { webhook_id: 'wh-6' });
      for (let i = 0; ; i++) {
        const { rows } = await other.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        if (rows[0].n > 0) break;
        if (i > 200) throw new Error('the take-over statement never waited on the webhook id');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const sent = attempt(clock, 'delivered', 200, 'in flight');
      await s.complete([{ delivery_id: inFlight!.delivery_id, status: 'delivered', attempt: sent }]);
      expect(await folded(s, inFlight!.delivery_id)).toMatchObject({ sent_code: null });
      await other.query('ROLLBACK');
      expect((await takeOver).items).toEqual([{ stored: true, deliveries_created: 1 }]);

      expect(await attemptsRows(s, inFlight!.delivery_id)).toEqual(['delivered']);
      expect(await folded(s, inFlight!.delivery_id)).toMatchObject({ sent_latency_ms: null });
      expect(await logOf(s, 'order_6')).toEqual([stored(sent)]);
      const { rows } = await s.pool.query('SELECT status, taken_over_from FROM deliveries WHERE id = $1', [inFlight!.delivery_id]);
      expect(rows).toEqual([{ status: 'pending', taken_over_from: 'delivered' }]);
    } finally {
      await other.end();
    }
  });

  it('activity counts a folded success in the bucket it was sent, also when its row finished after the window', async () => {
    const s = await store();
    await s.ingest([item('e7')]);
    const [row] = await s.claim('meta', 10, clock, 30_000);
    clock = T + MINUTE + 1_000;
    await s.complete([{ delivery_id: row!.delivery_id, status: 'delivered', attempt: attempt(T + MINUTE - 1_000, 'delivered', 200) }]);
    expect(await activity(s, T, T + MINUTE)).toEqual(['0 meta delivered 1']);
    expect(await activity(s, T + MINUTE, T + 2 * MINUTE)).toEqual([]);
  });
});

describe('PostgreSQL migration 007', () => {
  it('rows delivered before it keep their attempts rows and read the same after it; new successes fold, counted with them', async () => {
    const upgraded = await createScratchDatabase();
    const pool = new pg.Pool({ connectionString: upgraded.url, max: 2 });
    try {
      await runMigrations(pool, loadMigrations().filter((m) => m.version <= 6));
      // As the store wrote them before 007: every attempt in `attempts`. e1 delivered at its first try, e2 at its
      // retry, e3 dead after two failures.
      for (const id of ['e1', 'e2', 'e3']) {
        await pool.query(
          "INSERT INTO events (event_id, event_name, source, test, event_time, received_at, body) VALUES ($1, 'purchase', 'api', false, 1764326400, $2, $3)",
          [id, T, JSON.stringify(hashedEvent({ event_id: id }))],
        );
      }
      const { rows: ids } = await pool.query<{ id: number; event_id: string }>(
        `INSERT INTO deliveries (event_id, event_source, destination_id, platform, status, attempts, created_at, first_attempt_at, last_attempt_at, finished_at, last_error_code, last_error_message)
         VALUES ('e1', 'api', 'meta', 'meta', 'delivered', 1, $1::bigint, $1::bigint + 1000, $1::bigint + 1000, $1::bigint + 2000, NULL, NULL),
                ('e2', 'api', 'meta', 'meta', 'delivered', 2, $1, $1 + 1000, $1 + 61000, $1 + 62000, 'http_503', 'down'),
                ('e3', 'api', 'meta', 'meta', 'dead', 2, $1, $1 + 1000, $1 + 61000, $1 + 62000, 'http_503', 'down')
         RETURNING id::int, event_id`,
        [T],
      );
      const id = Object.fromEntries(ids.map((r) => [r.event_id, r.id]));
      await pool.query(
        `INSERT INTO attempts (delivery_id, at, latency_ms, http_status, outcome, platform_code, message) VALUES
           ($1::bigint, $4::bigint + 1000, 40, 200, 'delivered', 'fbtrace', NULL),
           ($2, $4 + 1000, 40, 503, 'retryable', 'http_503', 'down'),
           ($3, $4 + 1000, 40, 503, 'retryable', 'http_503', 'down'),
           ($2, $4 + 61000, 40, 200, 'delivered', NULL, NULL),
           ($3, $4 + 61000, 40, 503, 'retryable', 'http_503', 'down')`,
        [id.e1, id.e2, id.e3, T],
      );
      // The log each row had before 007: its attempts rows in the order they were written.
      const before = attemptsByDelivery((await pool.query('SELECT delivery_id::int, at::float8 AS at, latency_ms, http_status, outcome, platform_code, message FROM attempts ORDER BY id')).rows);
      expect([...before.values()].map((log) => log.length)).toEqual([1, 2, 2]);

      clock = T + 2 * MINUTE;
      const s = await store(upgraded.url);
      expect((await pool.query('SELECT max(version)::int AS v FROM schema_migrations')).rows[0].v).toBe(7);
      for (const e of ['e1', 'e2', 'e3']) expect(await logOf(s, e)).toEqual(before.get(id[e]!));
      const expected = ['0 meta delivered 1', '0 meta retrying 2', '1 meta dead 1', '1 meta delivered 1'];
      expect(await activity(s, T, T + 2 * MINUTE)).toEqual(expected);
      expect((await pool.query('SELECT count(*)::int AS n FROM deliveries WHERE sent_latency_ms IS NOT NULL')).rows[0].n).toBe(0);

      // A delivery completed after the upgrade folds its success; the bucket counts it with e2's from `attempts`.
      await s.ingest([item('e4')]);
      const [row] = await s.claim('meta', 10, clock, 30_000);
      expect(row!.event.event_id).toBe('e4');
      const sent = attempt(T + MINUTE + 30_000, 'delivered', 200);
      await s.complete([{ delivery_id: row!.delivery_id, status: 'delivered', attempt: sent }]);
      expect((await pool.query('SELECT count(*)::int AS n FROM attempts')).rows[0].n).toBe(5);
      expect(await logOf(s, 'e4')).toEqual([stored(sent)]);
      expect(await activity(s, T, T + 2 * MINUTE)).toEqual(['0 meta delivered 1', '0 meta retrying 2', '1 meta dead 1', '1 meta delivered 2']);
      for (const e of ['e1', 'e2', 'e3']) expect(await logOf(s, e)).toEqual(before.get(id[e]!));
    } finally {
      for (const s of open.splice(0)) await s.close();
      await pool.end();
      await upgraded.drop();
    }
  });
});
