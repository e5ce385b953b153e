-- Before a take-over resets a delivered browser row, its folded attempt moves to `attempts` (the row's history
-- stays attached to it, as for every other attempt).
INSERT INTO attempts (delivery_id, at, latency_ms, http_status, outcome, platform_code, message)
SELECT id, last_attempt_at, sent_latency_ms, sent_http_status, 'delivered', sent_code, sent_message
FROM deliveries
WHERE id = :id AND sent_latency_ms IS NOT NULL
RETURNING at
