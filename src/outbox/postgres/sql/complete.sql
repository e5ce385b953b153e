-- Applies outcomes only to rows whose lease is still held by the claim that sent them (lease_token): a holder
-- whose lease expired and whose rows another instance re-claimed must not overwrite the newer attempt. Every
-- attempt is recorded either way: it was sent. The attempt that delivers a row is folded onto it (sent_*, its time
-- the row's last_attempt_at: migration 007); the others, and a success whose row was not updated here (it has no
-- row to fold onto), go to `attempts`. A browser event's row is never folded: its server copy may take it over
-- (ingest.sql), which restarts the row in one upsert that could not move a folded attempt into the history.
-- Final rows lose their sealed contact in the same write.
-- $1..$8 updates | $9 now | $10 totals shard | $11..$15 the attempt of each update, its time $6 (outcome NULL: none)
-- (the backlog shard is the connection's, as in ingest)
WITH u AS (
  SELECT *, (status = 'delivered' AND outcome = 'delivered') AS folds
  FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::bigint[], $6::bigint[], $7::text[], $8::text[],
              $11::int[], $12::int[], $13::text[], $14::text[], $15::text[])
    AS u (id, lease_token, status, counted, next_attempt_at, at, error_code, error_message,
          latency_ms, http_status, outcome, platform_code, message)
),
done AS (
  UPDATE deliveries d SET
    status = u.status,
    attempts = d.attempts + u.counted,
    next_attempt_at = u.next_attempt_at,
    lease_until = NULL,
    lease_token = NULL,
    first_attempt_at = coalesce(d.first_attempt_at, u.at),
    last_attempt_at = coalesce(u.at, d.last_attempt_at),
    finished_at = CASE WHEN u.status = 'pending' THEN NULL ELSE $9::bigint END,
    last_error_code = coalesce(u.error_code, d.last_error_code),
    last_error_message = coalesce(u.error_message, d.last_error_message),
    sealed_contact = CASE WHEN u.status = 'pending' THEN d.sealed_contact END,
    sent_latency_ms = CASE WHEN u.folds AND d.event_source <> 'browser' THEN u.latency_ms END,
    sent_http_status = CASE WHEN u.folds AND d.event_source <> 'browser' THEN u.http_status END,
    sent_code = CASE WHEN u.folds AND d.event_source <> 'browser' THEN u.platform_code END,
    sent_message = CASE WHEN u.folds AND d.event_source <> 'browser' THEN u.message END
  FROM u
  WHERE d.id = u.id AND d.lease_token = u.lease_token AND d.status = 'pending'
  RETURNING d.id, d.destination_id, d.platform, d.status, d.attempts, u.counted, d.sent_latency_ms IS NOT NULL AS folded
),
recorded AS (
  INSERT INTO attempts (delivery_id, at, latency_ms, http_status, outcome, platform_code, message)
  SELECT id, at, latency_ms, http_status, outcome, platform_code, message
  FROM u
  WHERE outcome IS NOT NULL AND id NOT IN (SELECT id FROM done WHERE folded)
),
totals AS (
  INSERT INTO delivery_totals (destination_id, status, shard, platform, n)
  SELECT destination_id, status, $10::smallint, min(platform), count(*)
  FROM done WHERE status <> 'pending'
  GROUP BY destination_id, status
  ORDER BY destination_id, status
  ON CONFLICT (destination_id, status, shard) DO UPDATE SET n = delivery_totals.n + excluded.n
),
-- Each row was pending with attempts − counted: it leaves that bucket, for a final status or its new bucket.
backlog AS (
  INSERT INTO delivery_backlog (destination_id, retrying, shard, platform, n)
  SELECT destination_id, retrying, (pg_backend_pid() % 64)::smallint, min(platform), sum(n)
  FROM (
    SELECT destination_id, attempts - counted > 0 AS retrying, platform, -1 AS n FROM done
    UNION ALL
    SELECT destination_id, attempts > 0, platform, 1 FROM done WHERE status = 'pending'
  ) AS change
  GROUP BY destination_id, retrying
  HAVING sum(n) <> 0
  ORDER BY destination_id, retrying
  ON CONFLICT (destination_id, retrying, shard) DO UPDATE SET n = delivery_backlog.n + excluded.n
)
SELECT id FROM done
