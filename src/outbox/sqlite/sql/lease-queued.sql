-- renewLeases (a time) and release (NULL) for entries still held by a claim.
UPDATE delivery_queue SET lease_until = :until
WHERE destination_no = :destination_no AND event_ref = :event_ref AND lease_until IS NOT NULL
