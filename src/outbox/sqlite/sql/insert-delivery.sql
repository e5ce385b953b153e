-- Positional parameters (the ingest hot path, five rows per event): event_ref, event_id, destination_id, platform,
-- status, skip_reason, created_at, next_attempt_at, finished_at, sealed_contact.
INSERT INTO deliveries (event_ref, event_id, destination_id, platform, status, skip_reason, created_at, next_attempt_at, finished_at, sealed_contact)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (destination_id, event_id) DO NOTHING
