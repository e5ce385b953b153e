-- Dashboard overview: events acknowledged per bucket (events_received_at index).
SELECT CAST((received_at - :from) / :bucket_ms AS INTEGER) AS bucket, count(*) AS n
FROM events
WHERE received_at >= :from AND received_at < :to
GROUP BY bucket
