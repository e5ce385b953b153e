-- Positional parameters (the ingest hot path binds them without building an object per row; named binding was
-- ~15% of the insert cost): event_id, event_name, source, test, received_at, body, hashes.
INSERT INTO events (event_id, event_name, source, test, received_at, body, hashes)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (event_id, source) DO NOTHING
RETURNING id
