-- The delivery rows of some purchase event_ids (:event_ids, a JSON array), one per (destination, event_id): a seek of
-- the events (event_id, source) index per id, then of deliveries_event_destination per leg. A row hangs off the leg
-- that holds it (the server copy once it arrived, the browser event before), so every leg of an id is joined.
SELECT d.destination_id, d.platform, e.event_id, json_extract(e.body, '$.event_time') AS event_time,
       d.status, d.attempts, d.last_error_code, d.last_error_message, d.skip_reason, e.test
FROM events e JOIN deliveries d ON d.event_ref = e.id
WHERE e.event_id IN (SELECT value FROM json_each(:event_ids)) AND e.event_name = 'purchase'
ORDER BY e.id, d.destination_id
