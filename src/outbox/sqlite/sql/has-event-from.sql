-- Whether any event from one source was received in [from, to): the no-events alert's question, answered on the
-- events_received_at index and stopping at the first row, instead of reading the window's events.
SELECT EXISTS (SELECT 1 FROM events WHERE received_at >= :from AND received_at < :to AND source = :source) AS seen
