-- The deliveries of one event: its rows (deliveries_event_destination, migration 005) and its first tries still
-- queued (the view queued_deliveries, migration 009), which have no row yet.
SELECT d.id, d.destination_id, d.platform, d.status, d.attempts, d.created_at, d.next_attempt_at, d.finished_at,
       d.skip_reason, d.last_error_code, d.last_error_message,
       d.last_attempt_at, d.sent_latency_ms, d.sent_http_status, d.sent_code, d.sent_message
FROM deliveries d
WHERE d.event_ref = :event_ref
UNION ALL
SELECT v.id, v.destination_id, v.platform, v.status, v.attempts, v.created_at, v.next_attempt_at, NULL,
       NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL
FROM queued_deliveries v
WHERE v.event_ref = :event_ref
ORDER BY 2
