import Database from 'better-sqlite3';
import { sqliteDeliveryOutcomes } from '../outbox/sqlite/delivery-outcomes.js';
import { SqliteOutboxStore } from '../outbox/sqlite/store.js';
import type { DeliveryOutcome, OutboxStore } from '../outbox/types.js';

export type DeliveryOutcomesReader = (range: { from: number; to: number }) => Promise<DeliveryOutcome[]>;

/**
 * The store's `deliveryOutcomes`, or — for a SQLite store that does not expose it yet — the same query over a
 * read-only connection to its file (WAL lets it read beside the running gateway). Undefined when neither applies.
 */
export function deliveryOutcomesOf(store: Pick<OutboxStore, 'deliveryOutcomes'>): DeliveryOutcomesReader | undefined {
  if (store.deliveryOutcomes) return (range) => store.deliveryOutcomes!(range);
  if (store instanceof SqliteOutboxStore && store.path !== ':memory:') {
    return async (range) => {
      const db = new Database(store.path, { readonly: true, fileMustExist: true });
      try {
        return sqliteDeliveryOutcomes(db, range);
      } finally {
        db.close();
      }
    };
  }
  return undefined;
}
