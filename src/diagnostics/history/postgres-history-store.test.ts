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
