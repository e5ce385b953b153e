-- The reason picker: every filter but the reason itself.
-- $1 status | $2 from | $3 to | $4 destination_id | $5 platform
SELECT coalesce(d.last_error_code, 'unknown') AS error_code, count(*)::int AS n
FROM deliveries d
WHERE d.status IN ('dead', 'rejected')
  AND ($1::text IS NULL OR d.status = $1::text)
  AND d.finished_at >= $2::bigint AND d.finished_at < $3::bigint
  AND ($4::text IS NULL OR d.destination_id = $4::text)
  AND ($5::text IS NULL OR d.platform = $5::text)
GROUP BY 1
ORDER BY n DESC, error_code
