-- $1 status | $2 from | $3 to | $4 destination_id | $5 platform | $6 error_code
SELECT count(*)::int AS n
FROM deliveries d
WHERE d.status IN ('dead', 'rejected')
  AND ($1::text IS NULL OR d.status = $1::text)
  AND d.finished_at >= $2::bigint AND d.finished_at < $3::bigint
  AND ($4::text IS NULL OR d.destination_id = $4::text)
  AND ($5::text IS NULL OR d.platform = $5::text)
  AND ($6::text IS NULL OR d.last_error_code = $6::text)
