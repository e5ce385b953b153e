-- One page of a day's events for diagnostics (keyset on received_at, id): the range bound alone walks the
-- events_received_at index (which carries the rowid, so the ORDER BY needs no sort); the OR only skips the rows
-- of the cursor's own millisecond already read.
SELECT id, event_id, body, source, test, received_at FROM events
WHERE received_at >= max(:from, :after_at) AND received_at < :to AND (received_at > :after_at OR id > :after_id)
ORDER BY received_at, id LIMIT :limit
