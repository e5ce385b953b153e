-- Only a row still leased by the claim that sent it: a browser row taken over by its server copy while in flight
-- (take-over-browser-delivery.sql) lost its lease, and the browser send's outcome must not become the server copy's.
-- The attempt that delivers a row is folded onto it (sent_*, migration 005); any other goes to `attempts`.
-- Positional parameters (bound without an object per row, as insert-delivery.sql): status, counted, next_attempt_at,
-- at, at, finished_at, error_code, error_message, final, sent_latency_ms, sent_http_status, sent_code, sent_message, id.
UPDATE deliveries SET
  status = ?,
  attempts = attempts + ?,
  next_attempt_at = ?,
  lease_until = NULL,
  first_attempt_at = coalesce(first_attempt_at, ?),
  last_attempt_at = coalesce(?, last_attempt_at),
  finished_at = ?,
  last_error_code = coalesce(?, last_error_code),
  last_error_message = coalesce(?, last_error_message),
  sealed_contact = CASE WHEN ? THEN NULL ELSE sealed_contact END,
  sent_latency_ms = ?,
  sent_http_status = ?,
  sent_code = ?,
  sent_message = ?
WHERE id = ? AND status = 'pending' AND lease_until IS NOT NULL
RETURNING destination_id, platform, attempts
