-- One page of a day's events for diagnostics (keyset on received_at, id): the range bound walks the
-- events_received_at index; the OR only skips the rows of the cursor's own millisecond already read.
SELECT id, event_id, body, source, test, received_at FROM events
WHERE received_at >= GREATEST($1::bigint, $3::bigint) AND received_at < $2::bigint AND (received_at > $3::bigint OR id > $4::bigint)
ORDER BY received_at, id LIMIT $5::int
