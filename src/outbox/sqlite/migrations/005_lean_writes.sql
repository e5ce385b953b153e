-- The backlog counts (delivery_backlog, migration 004) are kept by the writer instead of triggers: each write
-- operation gathers its changes per (destination, first try or retry) and applies them as one upsert each
-- (writer.ts Counters), instead of a trigger's upsert per pending row (~5 µs of writer CPU each).
DROP TRIGGER delivery_backlog_insert;
DROP TRIGGER delivery_backlog_leave;
DROP TRIGGER delivery_backlog_enter;
DROP TRIGGER delivery_backlog_delete;

-- Counted again from the rows, so whatever wrote rows outside the store before this point is reflected.
DELETE FROM delivery_backlog;
INSERT INTO delivery_backlog (destination_id, retrying, platform, n)
  SELECT destination_id, attempts > 0, min(platform), count(*) FROM deliveries WHERE status = 'pending'
  GROUP BY destination_id, attempts > 0;

-- Only the range a claim and nextDueAt need: the trailing columns served the pending walk counts() no longer does.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (destination_id, next_attempt_at) WHERE status = 'pending';
