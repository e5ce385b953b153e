INSERT INTO events (event_id, event_name, source, test, received_at, body)
VALUES (:event_id, :event_name, :source, :test, :received_at, :body)
ON CONFLICT (event_id, source) DO NOTHING
RETURNING id
