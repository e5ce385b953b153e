-- The deliveries of one event: its rows (deliveries_event_destination, migration 005) and its first tries still
-- queued (migration 009), which have no row yet: their id is the synthetic one claims hand out (queued-delivery.ts).
SELECT d.id, d.destination_id, d.platform, d.status, d.attempts, d.created_at, d.next_attempt_at, d.finished_at,
       d.skip_reason, d.last_error_code, d.last_error_message,
       d.last_attempt_at, d.sent_latency_ms, d.sent_http_status, d.sent_code, d.sent_message
FROM deliveries d
WHERE d.event_ref = :event_ref
UNION ALL
SELECT -(q.event_ref * 1024 + n.no), n.destination_id, n.platform, 'pending', 0, q.created_at, coalesce(q.lease_until, q.created_at), NULL,
       NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL
FROM destination_numbers n CROSS JOIN delivery_queue q
WHERE q.destination_no = n.no AND q.event_ref = :event_ref
ORDER BY 2
