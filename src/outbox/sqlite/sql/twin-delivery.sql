-- The delivery a (destination, event_id) already has, whichever leg holds it, with what the take-over needs: its
-- row, or its queue entry (a first try waiting: id NULL; queued_ref and queued_no its key).
SELECT d.id, d.status, d.attempts, d.sent_latency_ms, e.source, NULL AS queued_ref, NULL AS queued_no, NULL AS lease_until
FROM events e JOIN deliveries d ON d.event_ref = e.id AND d.destination_id = :destination_id
WHERE e.event_id = :event_id
UNION ALL
SELECT NULL, v.status, v.attempts, NULL, e.source, v.event_ref, v.destination_no, v.lease_until
FROM events e CROSS JOIN queued_deliveries v ON v.event_ref = e.id AND v.destination_id = :destination_id
WHERE e.event_id = :event_id
