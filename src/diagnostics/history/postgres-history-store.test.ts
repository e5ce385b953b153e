import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../outbox/postgres/testing/database.js';
import { historyStoreContract } from './history-store.contract.js';
import { openHistoryStore } from './open.js';

// The same contract on a throw-away PostgreSQL database (MATCHKEY_TEST_PG_URL; unreachable = failure, not skip).
historyStoreContract('PostgreSQL', async () => {
  const db = await createScratchDatabase('matchkey_diag');
  const history = await openHistoryStore(db.url);
  return {
    history,
    reopen: () => openHistoryStore(db.url),
    cleanup: async () => {
      await history.close();
      await db.drop();
    },
  };
});

describe('PostgreSQL history upgrades', () => {
  it('keeps the gauges of a database written before readings named their destination', async () => {
    const db = await createScratchDatabase('matchkey_diag');
    try {
      // The tables as versions 1 and 2 left them.
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(`CREATE TABLE diag_schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL);
        INSERT INTO diag_schema_migrations VALUES (1, 0), (2, 0);
        CREATE TABLE diag_snapshots (day text NOT NULL, platform text NOT NULL, destination_id text NOT NULL, events integer NOT NULL, sendable integer NOT NULL, readiness double precision, coverage jsonb NOT NULL, findings jsonb NOT NULL, taken_at bigint NOT NULL, PRIMARY KEY (day, platform));
        CREATE TABLE diag_gauges (day text NOT NULL, platform text NOT NULL, kind text NOT NULL, value double precision NOT NULL, recorded_at bigint NOT NULL, PRIMARY KEY (day, platform, kind));
        INSERT INTO diag_gauges VALUES ('2026-11-20', 'meta', 'event_match_quality', 6.5, 1);`);
      await client.end();
      const history = await openHistoryStore(db.url);
      try {
        await history.recordGauge({ day: '2026-11-20', platform: 'meta', destination_id: 'meta-eu', kind: 'event_match_quality', value: 4, recorded_at: 2 });
        expect(await history.listGauges()).toEqual([
          { day: '2026-11-20', platform: 'meta', kind: 'event_match_quality', value: 6.5, recorded_at: 1 },
          { day: '2026-11-20', platform: 'meta', destination_id: 'meta-eu', kind: 'event_match_quality', value: 4, recorded_at: 2 },
        ]);
      } finally {
        await history.close();
      }
    } finally {
      await db.drop();
    }
  });
});
