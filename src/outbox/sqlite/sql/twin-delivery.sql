-- The delivery row a (destination, event_id) already has, whichever leg holds it, with what the take-over needs.
SELECT d.id, d.status, d.attempts, d.sent_latency_ms, e.source
FROM events e JOIN deliveries d ON d.event_ref = e.id AND d.destination_id = :destination_id
WHERE e.event_id = :event_id
