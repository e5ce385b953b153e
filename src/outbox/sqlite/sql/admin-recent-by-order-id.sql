-- Events sent with their own event_id but this commerce.order_id: only the most recent :scan events are read.
SELECT id, body, hashes, source, test, received_at
FROM (SELECT id, body, hashes, source, test, received_at FROM events ORDER BY id DESC LIMIT :scan)
WHERE json_extract(body, '$.commerce.order_id') = :order_id
