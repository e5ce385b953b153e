-- Dashboard overview: events acknowledged per bucket (events_received_at index).
-- $1 from | $2 to | $3 bucket_ms
SELECT ((received_at - $1::bigint) / $3::bigint) AS bucket, count(*)::int AS n
FROM events
WHERE received_at >= $1::bigint AND received_at < $2::bigint
GROUP BY 1
