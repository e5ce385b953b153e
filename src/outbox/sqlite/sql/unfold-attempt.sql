-- Before a take-over resets a delivered browser row, its folded attempt moves to `attempts` (the row's history
-- stays attached to it, as for every other attempt). Returns what the activity counter must give back.
INSERT INTO attempts (delivery_id, at, latency_ms, http_status, outcome, platform_code, message)
SELECT id, last_attempt_at, sent_latency_ms, sent_http_status, 'delivered', sent_code, sent_message
FROM deliveries
WHERE destination_id = :destination_id AND event_id = :event_id AND sent_latency_ms IS NOT NULL
  AND event_ref IN (SELECT id FROM events WHERE event_id = :event_id AND source = 'browser')
RETURNING at
