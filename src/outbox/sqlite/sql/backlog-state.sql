-- The state a row had before a take-over rewrites it (the backlog counts move by it).
SELECT status, attempts FROM deliveries WHERE destination_id = :destination_id AND event_id = :event_id
