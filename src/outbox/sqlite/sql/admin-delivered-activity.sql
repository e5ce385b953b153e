-- Dashboard overview: folded successful attempts (migration 005) per bucket, from their per-minute counts; a minute
-- belongs to the bucket its start falls in. :first_minute = ceil(from / 60000), :end_minute = ceil(to / 60000).
SELECT CAST((minute * 60000 - :from) / :bucket_ms AS INTEGER) AS bucket, destination_id, platform, 'delivered' AS outcome, sum(n) AS n
FROM delivery_activity
WHERE minute >= :first_minute AND minute < :end_minute
GROUP BY bucket, destination_id, platform
