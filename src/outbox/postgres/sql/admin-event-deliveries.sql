-- The delivery rows of some events. Deliveries are indexed on (destination_id, event_id) only (an index on event_id
-- alone would cost every ingest): the few destination ids are walked first, one index probe each (a loose index
-- scan), then each (destination_id, event_id) is a point read. The caller keeps the rows of each event's source.
-- $1 event ids
WITH RECURSIVE destination (id) AS (
  (SELECT destination_id FROM deliveries ORDER BY destination_id LIMIT 1)
  UNION ALL
  SELECT (SELECT d.destination_id FROM deliveries d WHERE d.destination_id > destination.id ORDER BY d.destination_id LIMIT 1)
  FROM destination WHERE destination.id IS NOT NULL
)
SELECT d.id, d.event_id, d.event_source, d.destination_id, d.platform, d.status, d.attempts, d.created_at,
       d.next_attempt_at, d.finished_at, d.skip_reason, d.last_error_code, d.last_error_message
FROM deliveries d
WHERE d.destination_id = ANY (ARRAY(SELECT id FROM destination WHERE id IS NOT NULL))
  AND d.event_id = ANY ($1::text[])
ORDER BY d.destination_id
