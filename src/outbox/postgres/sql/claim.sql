-- SKIP LOCKED: instances claiming the same destination at once each take different rows instead of queueing
-- behind one another. A row still carrying a lease_token here was leased by a claim that neither completed nor
-- released it before the lease ran out (a crashed or stalled instance): counted in lease_expiries.
-- $1 destination_id | $2 now | $3 limit | $4 lease_until | $5 lease_token | $6 lease_owner
WITH picked AS (
  SELECT id FROM deliveries
  WHERE destination_id = $1::text AND status = 'pending' AND next_attempt_at <= $2::bigint
  ORDER BY next_attempt_at, id
  LIMIT $3::int
  FOR UPDATE SKIP LOCKED
)
UPDATE deliveries d SET
  lease_until = $4::bigint,
  next_attempt_at = $4::bigint,
  lease_token = $5::uuid,
  lease_owner = $6::text,
  lease_expiries = d.lease_expiries + (d.lease_token IS NOT NULL)::int
FROM picked, events e
WHERE d.id = picked.id AND e.event_id = d.event_id AND e.source = d.event_source
RETURNING d.id, d.event_id, d.platform, d.attempts, d.created_at, d.first_attempt_at, d.sealed_contact, e.body, e.hashes
