import { afterAll, beforeAll } from 'vitest';
import { describeStoreContract } from '../../src/outbox/contract.js';
import { PostgresOutboxStore } from '../../src/outbox/postgres/store.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/outbox/postgres/testing/database.js';

// The shared OutboxStore contract against a real PostgreSQL. Each test starts from empty tables, so every test
// truncates them first (one database per run, created here and dropped afterwards).
let db: ScratchDatabase;
beforeAll(async () => {
  db = await createScratchDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describeStoreContract('postgres', async (opts) => {
  const store = new PostgresOutboxStore(db.url, { ...opts, poolSize: 4 });
  await store.migrate();
  await store.pool.query('TRUNCATE events, deliveries, attempts, webhooks, orders, delivery_totals, delivery_backlog, browser_contexts');
  return store;
});
