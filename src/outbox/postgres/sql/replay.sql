-- The retry budget starts afresh (attempts 0, no first attempt) so a replayed row is not dead on its first
-- failure; the attempts table keeps the full history.
-- $1 now | $2 status | $3 destination_id | $4 since | $5 ids | $6 totals shard
WITH replayed AS (
  UPDATE deliveries SET
    status = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = $1::bigint,
    lease_until = NULL, lease_token = NULL, finished_at = NULL
  WHERE status = $2::text
    AND ($3::text IS NULL OR destination_id = $3::text)
    AND ($4::bigint IS NULL OR finished_at >= $4::bigint)
    AND ($5::bigint[] IS NULL OR id = ANY($5::bigint[]))
  RETURNING destination_id, platform
),
totals AS (
  INSERT INTO delivery_totals (destination_id, status, shard, platform, n)
  SELECT destination_id, $2::text, $6::smallint, min(platform), -count(*)
  FROM replayed
  GROUP BY destination_id
  ORDER BY destination_id
  ON CONFLICT (destination_id, status, shard) DO UPDATE SET n = delivery_totals.n + excluded.n
),
backlog AS (
  INSERT INTO delivery_backlog (destination_id, retrying, shard, platform, n)
  SELECT destination_id, false, (pg_backend_pid() % 64)::smallint, min(platform), count(*)
  FROM replayed
  GROUP BY destination_id
  ORDER BY destination_id
  ON CONFLICT (destination_id, retrying, shard) DO UPDATE SET n = delivery_backlog.n + excluded.n
)
SELECT count(*)::int AS n FROM replayed
