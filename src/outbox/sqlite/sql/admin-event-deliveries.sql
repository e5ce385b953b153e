-- The delivery rows of one event. The only index holding event_ref leads with destination_id, so the distinct
-- destinations are walked through that index first (one seek each) and each (destination, event) is one lookup.
WITH RECURSIVE destination(id) AS (
  SELECT min(destination_id) FROM deliveries
  UNION ALL
  SELECT (SELECT min(destination_id) FROM deliveries WHERE destination_id > destination.id) FROM destination WHERE destination.id IS NOT NULL
)
SELECT d.id, d.destination_id, d.platform, d.status, d.attempts, d.created_at, d.next_attempt_at, d.finished_at,
       d.skip_reason, d.last_error_code, d.last_error_message
FROM destination JOIN deliveries d ON d.destination_id = destination.id AND d.event_ref = :event_ref
ORDER BY d.destination_id
