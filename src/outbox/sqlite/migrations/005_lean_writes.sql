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

-- A delivered row keeps the attempt that delivered it on itself instead of in `attempts`: most rows are delivered
-- at their first attempt, and an attempts row (+ its index entry) per delivery was ~50 bytes of every event's
-- five deliveries at rest, and an insert per completion. `sent_latency_ms` not null marks a folded attempt; its
-- time is the row's last_attempt_at and its outcome 'delivered'. Failed attempts stay in `attempts`, as before.
ALTER TABLE deliveries ADD COLUMN sent_latency_ms INTEGER;
ALTER TABLE deliveries ADD COLUMN sent_http_status INTEGER;
ALTER TABLE deliveries ADD COLUMN sent_code TEXT;
ALTER TABLE deliveries ADD COLUMN sent_message TEXT;

-- The dashboard's "delivered per bucket" for folded attempts: successful attempts per minute (of their send time)
-- and destination, one upsert per destination and minute per completing operation. Attempts stored in `attempts`
-- (before this migration, or a success whose lease was lost) are still counted from there.
CREATE TABLE delivery_activity (
  minute INTEGER NOT NULL,
  destination_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (minute, destination_id)
) WITHOUT ROWID;

-- One delivery per (destination, event_id) is kept by the writer, which looks for the rows of the event's twins (the
-- other legs with its event_id: the events index on (event_id, source)) only when it has any; a delivery row is
-- unique per (event, destination). That index replaces two (destination_id, event_id) and (event_ref), and the
-- event_id text copied onto every delivery row goes (~200 bytes per event with five destinations).
DROP INDEX deliveries_destination_event;
DROP INDEX deliveries_event_ref;
CREATE UNIQUE INDEX deliveries_event_destination ON deliveries (event_ref, destination_id);
ALTER TABLE deliveries DROP COLUMN event_id;
