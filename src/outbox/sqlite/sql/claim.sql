UPDATE deliveries
SET lease_until = :lease_until, next_attempt_at = :lease_until
WHERE id IN (
  SELECT id FROM deliveries
  WHERE destination_id = :destination_id AND status = 'pending' AND next_attempt_at <= :now
  ORDER BY next_attempt_at, id
  LIMIT :limit
)
RETURNING id, event_ref, platform, attempts, created_at, first_attempt_at, sealed_contact
