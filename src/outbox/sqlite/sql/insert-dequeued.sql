-- The row of a delivery leaving the queue (take-queued.sql) with its first try's outcome: as complete.sql would have
-- left a pending row. It keeps the id its entry was claimed under (queued-delivery.ts), so a delivery has one id
-- for life. Positional parameters: id, event_ref, destination_id, platform, status, attempts, created_at,
-- next_attempt_at, at, at, finished_at, error_code, error_message, sealed_contact, sent_latency_ms,
-- sent_http_status, sent_code, sent_message.
INSERT INTO deliveries (id, event_ref, destination_id, platform, status, attempts, created_at, next_attempt_at,
  first_attempt_at, last_attempt_at, finished_at, last_error_code, last_error_message, sealed_contact,
  sent_latency_ms, sent_http_status, sent_code, sent_message)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
