-- Retention (`sqlite:<path>?retention_days=N`, store.ts pruneDelivered): delivered rows older than N days are
-- deleted with their attempts, and their events marked, so that a late re-sent copy (a webhook retried after the
-- retention age, a replayed export) creates no new delivery. The same rule as the PostgreSQL store's.
ALTER TABLE events ADD COLUMN deliveries_pruned INTEGER NOT NULL DEFAULT 0;
