-- Retention, one bounded batch: delivered rows finished before :cutoff, oldest first, over the partial index
-- deliveries_delivered_age (created while retention is on: retention.ts).
SELECT id, event_ref FROM deliveries
WHERE status = 'delivered' AND finished_at < :cutoff
ORDER BY finished_at
LIMIT :limit
