-- How many rows a scan of [from, to) will read (scan-events.sql): counted on the events_received_at index.
SELECT count(*) AS n FROM events WHERE received_at >= :from AND received_at < :to
