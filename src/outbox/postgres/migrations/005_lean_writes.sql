-- The backlog counts (delivery_backlog, migration 004) are written by the statements that move rows in or out of
-- the backlog (ingest, complete, replay), as one grouped upsert each beside the running totals, instead of
-- statement triggers: those also fired, with their transition tables, on every claim, renewal and release.
-- Shards stay per connection (backend pid modulo 64), locked in one order, as the triggers did.
DROP TRIGGER delivery_backlog_insert ON deliveries;
DROP TRIGGER delivery_backlog_update ON deliveries;
DROP TRIGGER delivery_backlog_delete ON deliveries;
DROP TRIGGER delivery_backlog_truncate ON deliveries;
DROP FUNCTION delivery_backlog_added();
DROP FUNCTION delivery_backlog_changed();
DROP FUNCTION delivery_backlog_removed();
DROP FUNCTION delivery_backlog_truncated();

-- A take-over keeps the attempts the row had (with taken_over_from, its status): a pending row leaves the backlog
-- bucket those attempts put it in.
ALTER TABLE deliveries ADD COLUMN taken_over_attempts integer;

-- Counted again from the rows, so whatever wrote rows outside the store before this point is reflected.
DELETE FROM delivery_backlog;
INSERT INTO delivery_backlog (destination_id, retrying, shard, platform, n)
  SELECT destination_id, attempts > 0, 0, min(platform), count(*) FROM deliveries WHERE status = 'pending'
  GROUP BY destination_id, attempts > 0;
