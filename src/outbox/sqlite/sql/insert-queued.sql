-- Positional parameters (the ingest hot path, one per pending delivery): destination_no, event_ref, created_at,
-- sealed_contact. An entry that exists is the same delivery queued already.
INSERT INTO delivery_queue (destination_no, event_ref, created_at, sealed_contact) VALUES (?, ?, ?, ?)
ON CONFLICT DO NOTHING
