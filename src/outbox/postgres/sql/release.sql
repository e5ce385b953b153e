-- Locked in (destination_id, event_id) order first, as every statement that waits on delivery rows does (complete.sql).
WITH locked AS MATERIALIZED (
  SELECT d.id FROM deliveries d
  WHERE d.id = ANY ($1::bigint[])
  ORDER BY d.destination_id, d.event_id
  FOR UPDATE
)
UPDATE deliveries d SET lease_until = NULL, lease_token = NULL, next_attempt_at = $3::bigint
FROM unnest($1::bigint[], $2::uuid[]) AS h (id, lease_token)
WHERE d.id = h.id AND d.id IN (SELECT id FROM locked) AND d.lease_token = h.lease_token AND d.status = 'pending'
