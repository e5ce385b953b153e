-- The server copy's row for a (destination, event_id) whose browser event was still queued (twin-delivery.sql): as
-- take-over-browser-delivery.sql leaves a taken-over row, and after the browser send's lease if one is in flight.
-- It keeps the entry's id (queued-delivery.ts), as a taken-over row keeps its own: a browser send completing after
-- the take-over finds the row unleased, changes nothing, and its attempt joins the row's history.
INSERT INTO deliveries (id, event_ref, destination_id, platform, status, skip_reason, created_at, next_attempt_at, finished_at, sealed_contact, taken_over_from)
VALUES (:id, :event_ref, :destination_id, :platform, :status, :skip_reason, :created_at,
  CASE WHEN :next_attempt_at IS NULL THEN NULL ELSE max(:next_attempt_at, coalesce(:lease_until, 0)) END,
  :finished_at, :sealed_contact, 'pending')
