-- The deliveries of some purchase event_ids (:event_ids, a JSON array), one per (destination, event_id): a seek of
-- the events (event_id, source) index per id, then of deliveries_event_destination per leg, and of each
-- destination's queue (first tries waiting have no row: queued_deliveries, migration 009). A delivery hangs off the
-- leg that holds it (the server copy once it arrived, the browser event before), so every leg of an id is joined.
SELECT destination_id, platform, event_id, event_time, status, attempts, last_error_code, last_error_message, skip_reason, test
FROM (
  SELECT e.id AS ref, d.destination_id, d.platform, e.event_id, json_extract(e.body, '$.event_time') AS event_time,
         d.status, d.attempts, d.last_error_code, d.last_error_message, d.skip_reason, e.test
  FROM events e JOIN deliveries d ON d.event_ref = e.id
  WHERE e.event_id IN (SELECT value FROM json_each(:event_ids)) AND e.event_name = 'purchase'
  UNION ALL
  SELECT e.id, v.destination_id, v.platform, e.event_id, json_extract(e.body, '$.event_time'),
         v.status, v.attempts, NULL, NULL, NULL, e.test
  FROM events e CROSS JOIN queued_deliveries v ON v.event_ref = e.id
  WHERE e.event_id IN (SELECT value FROM json_each(:event_ids)) AND e.event_name = 'purchase'
)
ORDER BY ref, destination_id
