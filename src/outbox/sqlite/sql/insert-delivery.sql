-- Positional parameters (the ingest hot path, five rows per event): event_ref, destination_id, platform, status,
-- skip_reason, created_at, next_attempt_at, finished_at, sealed_contact. The conflict is the same event sent again.
INSERT INTO deliveries (event_ref, destination_id, platform, status, skip_reason, created_at, next_attempt_at, finished_at, sealed_contact)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (event_ref, destination_id) DO NOTHING
