-- A browser event's row that was skipped only because another leg sends the server copy (reasons in :reasons,
-- src/delivery/plan.ts DEFERRED_SKIP_REASONS) is taken over by that leg's event when it arrives: the row now
-- belongs to the server event and carries its plan. Still one row, so still one server copy per (destination,
-- event_id).
UPDATE deliveries SET
  event_ref = :event_ref,
  status = :status,
  skip_reason = :skip_reason,
  created_at = :created_at,
  next_attempt_at = :next_attempt_at,
  finished_at = :finished_at,
  sealed_contact = :sealed_contact
WHERE destination_id = :destination_id AND event_id = :event_id
  AND status = 'skipped' AND skip_reason IN (SELECT value FROM json_each(:reasons))
RETURNING platform
