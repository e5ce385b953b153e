-- One page of a day's events for diagnostics (keyset on received_at, id): the range bound walks the
-- events_received_at index; the OR only skips the rows of the cursor's own millisecond already read. Rows outside
-- the sample ($6) are filtered here, never sent: the sample key is the first 32 bits of md5(event_id), as
-- sampleKey() in src/outbox/event-scan.ts computes it.
SELECT id, received_at, source, test, body, hashes FROM events
WHERE received_at >= GREATEST($1::bigint, $3::bigint) AND received_at < $2::bigint AND (received_at > $3::bigint OR id > $4::bigint)
  AND ($6::bigint >= 4294967296 OR ('x' || substr(md5(event_id), 1, 8))::bit(32)::bigint < $6::bigint)
ORDER BY received_at, id LIMIT $5::int
