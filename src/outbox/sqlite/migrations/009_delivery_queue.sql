-- A delivery waiting for its first try is an entry of its destination's queue instead of a `deliveries` row
-- (src/outbox/README.md "Deliveries waiting for their first try"). A pending row cost the writer a ~70-byte row and
-- three index entries (the unique key, deliveries_due, deliveries_pending_age) at ingest, then a rewrite of all of it
-- at completion, five times per event with five destinations; a queue entry is one small b-tree cell in the order a
-- claim reads it. A delivery gets its `deliveries` row when it leaves the queue: delivered, retried, refused or dead,
-- or taken over by the event's server copy. Rows written before this migration keep working as they are.

-- Queue entries name their destination by a small number instead of its id (text on every entry). A destination
-- keeps its number for the life of the file; (destination_id, platform) as a delivery row has them.
CREATE TABLE destination_numbers (
  no INTEGER PRIMARY KEY,
  destination_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  UNIQUE (destination_id, platform)
);

-- One entry per first try waiting, in claim order (event_ref, the order events were stored). lease_until: a claim
-- holds the entry until then, as next_attempt_at does for a row; sealed_contact: Klaviyo's contact, as on a row.
CREATE TABLE delivery_queue (
  destination_no INTEGER NOT NULL,
  event_ref INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  lease_until INTEGER,
  sealed_contact BLOB,
  PRIMARY KEY (destination_no, event_ref)
) WITHOUT ROWID;

-- A queue entry as the readers of pending deliveries see it (the inspector, reconciliation, the take-over check):
-- a pending row never tried, under its synthetic id (queued-delivery.ts), due when created or when its lease ends.
-- Destination numbers come first (CROSS JOIN), so finding an event's entries is one seek of the queue per number;
-- a query joins the view after `events` with CROSS JOIN too, keeping that order.
CREATE VIEW queued_deliveries AS
SELECT -(q.event_ref * 1024 + n.no) AS id, q.event_ref, q.destination_no, n.destination_id, n.platform,
       'pending' AS status, 0 AS attempts, q.created_at, coalesce(q.lease_until, q.created_at) AS next_attempt_at, q.lease_until
FROM destination_numbers n CROSS JOIN delivery_queue q
WHERE q.destination_no = n.no;
