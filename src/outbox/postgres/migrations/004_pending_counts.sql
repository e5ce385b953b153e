-- Incremental counts of the backlog, as in SQLite: pending rows per destination, apart for rows never tried
-- (retrying false) and rows waiting for a retry (attempts > 0). counts() (/metrics, the dashboard) reads these few
-- rows instead of walking every pending row. Kept by statement-level triggers on deliveries, so every statement
-- that inserts, updates or deletes rows (ingest, take-over, claim, complete, replay, release, retention) keeps them
-- right without counting code of its own: one upsert per (destination, bucket) whose count the statement changed.
-- Each connection writes its own shard (its backend pid modulo 64), so statements of several connections and
-- instances rarely wait on one counter row; they lock the rows in one order, so they never deadlock on them.
CREATE TABLE delivery_backlog (
  destination_id text NOT NULL,
  retrying boolean NOT NULL,
  shard smallint NOT NULL,
  platform text NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (destination_id, retrying, shard)
);

-- Existing rows: the backlog as it stands.
INSERT INTO delivery_backlog (destination_id, retrying, shard, platform, n)
  SELECT destination_id, attempts > 0, 0, min(platform), count(*) FROM deliveries WHERE status = 'pending'
  GROUP BY destination_id, attempts > 0;

CREATE FUNCTION delivery_backlog_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO delivery_backlog (destination_id, retrying, shard, platform, n)
  SELECT destination_id, attempts > 0, (pg_backend_pid() % 64)::smallint, min(platform), count(*)
  FROM added WHERE status = 'pending'
  GROUP BY destination_id, attempts > 0
  ORDER BY destination_id, attempts > 0
  ON CONFLICT (destination_id, retrying, shard) DO UPDATE SET n = delivery_backlog.n + excluded.n;
  RETURN NULL;
END $$;

CREATE FUNCTION delivery_backlog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO delivery_backlog (destination_id, retrying, shard, platform, n)
  SELECT destination_id, retrying, (pg_backend_pid() % 64)::smallint, min(platform), sum(d)
  FROM (
    SELECT destination_id, attempts > 0 AS retrying, platform, 1 AS d FROM after_rows WHERE status = 'pending'
    UNION ALL
    SELECT destination_id, attempts > 0, platform, -1 FROM before_rows WHERE status = 'pending'
  ) moves
  GROUP BY destination_id, retrying
  HAVING sum(d) <> 0
  ORDER BY destination_id, retrying
  ON CONFLICT (destination_id, retrying, shard) DO UPDATE SET n = delivery_backlog.n + excluded.n;
  RETURN NULL;
END $$;

CREATE FUNCTION delivery_backlog_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO delivery_backlog (destination_id, retrying, shard, platform, n)
  SELECT destination_id, attempts > 0, (pg_backend_pid() % 64)::smallint, min(platform), -count(*)
  FROM removed WHERE status = 'pending'
  GROUP BY destination_id, attempts > 0
  ORDER BY destination_id, attempts > 0
  ON CONFLICT (destination_id, retrying, shard) DO UPDATE SET n = delivery_backlog.n + excluded.n;
  RETURN NULL;
END $$;

-- TRUNCATE fires no row or DELETE trigger: an emptied deliveries table has no backlog.
CREATE FUNCTION delivery_backlog_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM delivery_backlog;
  RETURN NULL;
END $$;

CREATE TRIGGER delivery_backlog_insert AFTER INSERT ON deliveries
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION delivery_backlog_added();
CREATE TRIGGER delivery_backlog_update AFTER UPDATE ON deliveries
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION delivery_backlog_changed();
CREATE TRIGGER delivery_backlog_delete AFTER DELETE ON deliveries
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION delivery_backlog_removed();
CREATE TRIGGER delivery_backlog_truncate AFTER TRUNCATE ON deliveries
  FOR EACH STATEMENT EXECUTE FUNCTION delivery_backlog_truncated();

-- The oldest pending row of a destination: one index seek (min(created_at)) instead of a walk of its backlog.
CREATE INDEX deliveries_pending_age ON deliveries (destination_id, created_at) WHERE status = 'pending';
