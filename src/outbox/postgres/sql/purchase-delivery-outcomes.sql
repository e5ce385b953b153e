-- The delivery rows of some purchase event_ids ($1), one per (destination, event_id). Each id's events are found on
-- events_event_id_source_key (every leg: the row hangs off the leg that holds it, event_source — the server copy once
-- it arrived, the browser event before). Deliveries are indexed on (destination_id, event_id) only (an index on
-- event_id alone would cost every ingest): the few destination ids are walked first, one index probe each (a loose
-- index scan), then each leg's rows are point reads per destination. The lateral subquery, fenced by OFFSET 0 so it
-- is not flattened into a join, keeps the planner on those point reads: joined plainly (or laterally without the
-- fence) it hashed a scan of every delivery row, as it cannot count the destinations the probes multiply by.
WITH RECURSIVE destination (id) AS (
  (SELECT destination_id FROM deliveries ORDER BY destination_id LIMIT 1)
  UNION ALL
  SELECT (SELECT d.destination_id FROM deliveries d WHERE d.destination_id > destination.id ORDER BY d.destination_id LIMIT 1)
  FROM destination WHERE destination.id IS NOT NULL
), destinations AS MATERIALIZED (
  SELECT ARRAY(SELECT id FROM destination WHERE id IS NOT NULL) AS ids
)
SELECT d.destination_id, d.platform, e.event_id, e.event_time, d.status, d.attempts,
       d.last_error_code, d.last_error_message, d.skip_reason, e.test
FROM events e
CROSS JOIN destinations
CROSS JOIN LATERAL (
  SELECT * FROM deliveries d
  WHERE d.destination_id = ANY (destinations.ids) AND d.event_id = e.event_id AND d.event_source = e.source
  OFFSET 0
) d
WHERE e.event_id = ANY ($1::text[]) AND e.event_name = 'purchase'
ORDER BY e.id, d.destination_id
