-- Dashboard overview: attempts per bucket. Attempts are appended in time order give or take a request timeout, so
-- the window's first attempt id is found by a binary search over the primary key (about 20 point reads, in this
-- statement) and the read is the id range from there: no index on `at`, which every attempt insert would pay
-- for. A permanent refusal is counted as `rejected` from the delivery row; the failed attempt that made a row dead
-- is counted as `dead` from the delivery row, not also as `retrying`.
-- The attempt that delivered a row is folded onto it (migration 007), at its last_attempt_at. The row was completed
-- after that attempt was sent, give or take the same slack, so the delivered rows finished in the window widened by
-- the slack (deliveries_delivered, a range) hold every folded attempt sent in the window: no index on
-- last_attempt_at, which every completion would pay for. Both kinds count in one row per bucket.
-- $1 from | $2 to | $3 bucket_ms | $4 lowest `at` the first attempt id may have (from minus the ordering slack)
WITH RECURSIVE search (lo, hi) AS (
  SELECT 1::bigint, coalesce((SELECT max(id) FROM attempts), 0) + 1
  UNION ALL
  SELECT CASE WHEN probe.id IS NULL OR probe.at >= $4::bigint THEN s.lo ELSE probe.id + 1 END,
         CASE WHEN probe.id IS NULL OR probe.at >= $4::bigint THEN (s.lo + s.hi) / 2 ELSE s.hi END
  FROM search s
  LEFT JOIN LATERAL (SELECT id, at FROM attempts WHERE id >= (s.lo + s.hi) / 2 ORDER BY id LIMIT 1) probe ON true
  WHERE s.lo < s.hi
),
sent (at, destination_id, platform, outcome) AS (
  SELECT a.at, d.destination_id, d.platform, CASE WHEN a.outcome = 'delivered' THEN 'delivered' ELSE 'retrying' END
  FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
  WHERE a.id >= (SELECT lo FROM search WHERE lo >= hi)
    AND a.at >= $1::bigint AND a.at < $2::bigint
    AND a.outcome <> 'permanent'
    AND NOT (d.status = 'dead' AND a.at = d.last_attempt_at)
  UNION ALL
  SELECT d.last_attempt_at, d.destination_id, d.platform, 'delivered'
  FROM deliveries d
  WHERE d.status = 'delivered'
    AND d.finished_at >= $4::bigint AND d.finished_at < $2::bigint + ($1::bigint - $4::bigint)
    AND d.sent_latency_ms IS NOT NULL
    AND d.last_attempt_at >= $1::bigint AND d.last_attempt_at < $2::bigint
)
SELECT ((at - $1::bigint) / $3::bigint) AS bucket, destination_id, platform, outcome, count(*)::int AS n
FROM sent
GROUP BY 1, 2, 3, 4
