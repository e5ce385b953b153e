-- Whether another leg stored this event_id (a browser event and its server copy, or api and shopify): only then
-- can a delivery of the event collide with one of theirs (events' (event_id, source) index).
SELECT 1 FROM events WHERE event_id = :event_id AND id <> :id LIMIT 1
