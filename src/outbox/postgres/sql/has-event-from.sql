-- Whether any event from one source was received in [from, to): the no-events alert's question, answered on the
-- events_received_at index and stopping at the first row, instead of reading the window's events.
SELECT EXISTS (SELECT 1 FROM events WHERE received_at >= $1::bigint AND received_at < $2::bigint AND source = $3::text) AS seen
