SELECT id, body, hashes, source, test, received_at FROM events
WHERE event_id IN (SELECT value FROM json_each(:event_ids))
