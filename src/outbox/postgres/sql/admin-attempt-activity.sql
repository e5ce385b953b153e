-- Dashboard overview: attempts per bucket. Attempts are appended in time order give or take a request timeout, so
-- the window's first attempt id is found by a binary search over the primary key (about 20 point reads, in this
-- statement) and the read is the id range from there: no index on `at`, which every attempt insert would pay
-- for. A permanent refusal is counted as `rejected` from the delivery row; the failed attempt that made a row dead
-- is counted as `dead` from the delivery row, not also as `retrying`.
-- $1 from | $2 to | $3 bucket_ms | $4 lowest `at` the first attempt id may have (from minus the ordering slack)
WITH RECURSIVE search (lo, hi) AS (
  SELECT 1::bigint, coalesce((SELECT max(id) FROM attempts), 0) + 1
  UNION ALL
  SELECT CASE WHEN probe.id IS NULL OR probe.at >= $4::bigint THEN s.lo ELSE probe.id + 1 END,
         CASE WHEN probe.id IS NULL OR probe.at >= $4::bigint THEN (s.lo + s.hi) / 2 ELSE s.hi END
  FROM search s
  LEFT JOIN LATERAL (SELECT id, at FROM attempts WHERE id >= (s.lo + s.hi) / 2 ORDER BY id LIMIT 1) probe ON true
  WHERE s.lo < s.hi
)
SELECT ((a.at - $1::bigint) / $3::bigint) AS bucket, d.destination_id, d.platform,
       CASE WHEN a.outcome = 'delivered' THEN 'delivered' ELSE 'retrying' END AS outcome,
       count(*)::int AS n
FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
WHERE a.id >= (SELECT lo FROM search WHERE lo >= hi)
  AND a.at >= $1::bigint AND a.at < $2::bigint
  AND a.outcome <> 'permanent'
  AND NOT (d.status = 'dead' AND a.at = d.last_attempt_at)
GROUP BY 1, 2, 3, 4
