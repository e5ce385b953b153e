-- Incremental counts of the backlog: pending rows per destination, apart for rows never tried (retrying = 0) and
-- rows waiting for a retry (retrying = 1, attempts > 0). counts() (/metrics, the dashboard) reads these few rows
-- instead of walking every pending row. Kept by triggers on deliveries, so every path that inserts, changes the
-- status or attempts of, or deletes a row keeps them right without counting code of its own; a row that stays
-- pending and keeps its bucket (a claim, a lease renewal, a release, a retry after the first) changes nothing here.
CREATE TABLE delivery_backlog (
  destination_id TEXT NOT NULL,
  retrying INTEGER NOT NULL,
  platform TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (destination_id, retrying)
) WITHOUT ROWID;

-- Existing rows: the backlog as it stands.
INSERT INTO delivery_backlog (destination_id, retrying, platform, n)
  SELECT destination_id, attempts > 0, min(platform), count(*) FROM deliveries WHERE status = 'pending'
  GROUP BY destination_id, attempts > 0;

CREATE TRIGGER delivery_backlog_insert AFTER INSERT ON deliveries WHEN new.status = 'pending'
BEGIN
  INSERT INTO delivery_backlog (destination_id, retrying, platform, n) VALUES (new.destination_id, new.attempts > 0, new.platform, 1)
  ON CONFLICT (destination_id, retrying) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER delivery_backlog_leave AFTER UPDATE OF status, attempts ON deliveries
WHEN old.status = 'pending' AND (new.status <> 'pending' OR (new.attempts > 0) <> (old.attempts > 0))
BEGIN
  UPDATE delivery_backlog SET n = n - 1 WHERE destination_id = old.destination_id AND retrying = (old.attempts > 0);
END;

CREATE TRIGGER delivery_backlog_enter AFTER UPDATE OF status, attempts ON deliveries
WHEN new.status = 'pending' AND (old.status <> 'pending' OR (new.attempts > 0) <> (old.attempts > 0))
BEGIN
  INSERT INTO delivery_backlog (destination_id, retrying, platform, n) VALUES (new.destination_id, new.attempts > 0, new.platform, 1)
  ON CONFLICT (destination_id, retrying) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER delivery_backlog_delete AFTER DELETE ON deliveries WHEN old.status = 'pending'
BEGIN
  UPDATE delivery_backlog SET n = n - 1 WHERE destination_id = old.destination_id AND retrying = (old.attempts > 0);
END;

-- The oldest pending row of a destination: one index seek (min(created_at)) instead of a walk of its backlog.
CREATE INDEX deliveries_pending_age ON deliveries (destination_id, created_at) WHERE status = 'pending';
