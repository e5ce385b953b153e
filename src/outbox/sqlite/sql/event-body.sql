SELECT event_id, body FROM events WHERE id = ?
