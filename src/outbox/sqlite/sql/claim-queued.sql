-- The first tries of one destination, in the order their events were stored, that no live claim holds: leased
-- until :lease_until, as claim.sql leases rows. Entries leased by claims still in flight are stepped over (a
-- destination has at most a few claims of ~1,000 in flight).
UPDATE delivery_queue SET lease_until = :lease_until
WHERE destination_no = :destination_no AND event_ref IN (
  SELECT event_ref FROM delivery_queue
  WHERE destination_no = :destination_no AND (lease_until IS NULL OR lease_until <= :now)
  ORDER BY event_ref
  LIMIT :limit
)
RETURNING event_ref, created_at, sealed_contact
