-- The server copy always wins (docs/BROWSER.md "One server copy per (destination, event_id)"): a row owned by a
-- browser event with this event_id — whatever its state, whatever its event name — is taken over by the api/shopify
-- event arriving now (the writer found the row with twin-delivery.sql and checked that a browser event holds it).
-- The row belongs to the server event and carries its plan; the state it had is kept in taken_over_from (the caller moves the running totals). A browser send still in flight (pending with a lease)
-- loses its lease, so its completion changes nothing (complete.sql requires one), and the server copy waits for the
-- end of that lease before it is claimed. Still one row, so still one server copy per (destination, event_id).
UPDATE deliveries SET
  event_ref = :event_ref,
  taken_over_from = status,
  status = :status,
  skip_reason = :skip_reason,
  attempts = 0,
  created_at = :created_at,
  next_attempt_at = CASE WHEN :next_attempt_at IS NULL THEN NULL ELSE max(:next_attempt_at, coalesce(lease_until, 0)) END,
  lease_until = NULL,
  first_attempt_at = NULL,
  last_attempt_at = NULL,
  finished_at = :finished_at,
  last_error_code = NULL,
  last_error_message = NULL,
  sealed_contact = :sealed_contact,
  sent_latency_ms = NULL,
  sent_http_status = NULL,
  sent_code = NULL,
  sent_message = NULL
WHERE id = :id
RETURNING platform, taken_over_from
