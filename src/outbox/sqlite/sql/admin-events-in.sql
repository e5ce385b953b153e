-- Dashboard overview: events acknowledged per bucket (events_received_at index).
SELECT (received_at - :from) / :bucket_ms AS bucket, count(*) AS n
FROM events
WHERE received_at >= :from AND received_at < :to
GROUP BY bucket
