-- Dashboard overview: rows that ended rejected or dead, per bucket of the time they ended (deliveries_finished).
-- $1 from | $2 to | $3 bucket_ms
SELECT ((finished_at - $1::bigint) / $3::bigint) AS bucket, destination_id, platform, status AS outcome, count(*)::int AS n
FROM deliveries
WHERE status IN ('dead', 'rejected') AND finished_at >= $1::bigint AND finished_at < $2::bigint
GROUP BY 1, 2, 3, 4
