-- Retention, one bounded batch per call: delivered rows finished before $1 and their attempts. Their events are
-- marked so that a late re-sent copy (a webhook retried after the retention age) does not deliver them again.
-- SKIP LOCKED: instances pruning at the same time split the work instead of waiting on each other.
-- $1 cutoff | $2 batch size
WITH gone AS (
  DELETE FROM deliveries WHERE id IN (
    SELECT id FROM deliveries
    WHERE status = 'delivered' AND finished_at < $1::bigint
    ORDER BY finished_at
    LIMIT $2::int
    FOR UPDATE SKIP LOCKED
  )
  RETURNING id, event_id
),
gone_attempts AS (
  DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM gone)
),
marked AS (
  UPDATE events SET deliveries_pruned = true
  WHERE event_id IN (SELECT event_id FROM gone) AND NOT deliveries_pruned
)
SELECT count(*)::int AS n FROM gone
