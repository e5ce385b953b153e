-- Events sent with their own event_id but this commerce.order_id: only the most recent $1 events are read.
-- $1 scan | $2 order_id
SELECT id, event_id, body, hashes, source, test, received_at
FROM (SELECT id, event_id, body, hashes, source, test, received_at FROM events ORDER BY id DESC LIMIT $1::int) recent
WHERE body::json -> 'commerce' ->> 'order_id' = $2::text
