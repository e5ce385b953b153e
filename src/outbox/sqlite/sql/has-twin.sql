-- Whether another leg stored this event_id (a browser event and its server copy, or api and shopify): only then
-- can a delivery of the event collide with one of theirs (events' (event_id, source) index). `pruned`: retention
-- removed the delivered rows of one of them (migration 008), so the event is not delivered again. No row: no twin.
SELECT max(deliveries_pruned) AS pruned FROM events WHERE event_id = :event_id AND id <> :id HAVING count(*) > 0
