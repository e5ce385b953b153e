SELECT event_id, body, hashes FROM events WHERE id = ?
