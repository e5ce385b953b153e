-- The delivery rows of one event (deliveries_event_destination, migration 005).
SELECT d.id, d.destination_id, d.platform, d.status, d.attempts, d.created_at, d.next_attempt_at, d.finished_at,
       d.skip_reason, d.last_error_code, d.last_error_message,
       d.last_attempt_at, d.sent_latency_ms, d.sent_http_status, d.sent_code, d.sent_message
FROM deliveries d
WHERE d.event_ref = :event_ref
ORDER BY d.destination_id
