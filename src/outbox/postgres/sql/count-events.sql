-- How many rows a scan of [from, to) will read (scan-events.sql): counted on the events_received_at index.
SELECT count(*)::int AS n FROM events WHERE received_at >= $1::bigint AND received_at < $2::bigint
