-- $1 event ids (events_event_id_source_key)
SELECT id, event_id, body, hashes, source, test, received_at FROM events WHERE event_id = ANY ($1::text[])
