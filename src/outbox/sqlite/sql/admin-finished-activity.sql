-- Dashboard overview: rows that ended rejected or dead, per bucket of the time they ended (deliveries_finished).
SELECT CAST((finished_at - :from) / :bucket_ms AS INTEGER) AS bucket, destination_id, platform, status AS outcome, count(*) AS n
FROM deliveries
WHERE status IN ('dead', 'rejected') AND finished_at >= :from AND finished_at < :to
GROUP BY bucket, destination_id, platform, status
