-- The delivery rows of some purchase event_ids ($1), one per (destination, event_id). Deliveries are indexed on
-- (destination_id, event_id) only (an index on event_id alone would cost every ingest): the few destination ids are
-- walked first, one index probe each (a loose index scan), then each (destination_id, event_id) is a point read. A
-- row names the leg that holds it (event_source: the server copy once it arrived, the browser event before).
WITH RECURSIVE destination (id) AS (
  (SELECT destination_id FROM deliveries ORDER BY destination_id LIMIT 1)
  UNION ALL
  SELECT (SELECT d.destination_id FROM deliveries d WHERE d.destination_id > destination.id ORDER BY d.destination_id LIMIT 1)
  FROM destination WHERE destination.id IS NOT NULL
)
SELECT d.destination_id, d.platform, e.event_id, e.event_time, d.status, d.attempts,
       d.last_error_code, d.last_error_message, d.skip_reason, e.test
FROM deliveries d JOIN events e ON e.event_id = d.event_id AND e.source = d.event_source
WHERE d.destination_id = ANY (ARRAY(SELECT id FROM destination WHERE id IS NOT NULL))
  AND d.event_id = ANY ($1::text[])
  AND e.event_name = 'purchase'
ORDER BY e.id, d.destination_id
