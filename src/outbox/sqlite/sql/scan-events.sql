-- One page of a day's events for diagnostics (keyset on received_at, id): the range bound alone walks the
-- events_received_at index (which carries the rowid, so the ORDER BY needs no sort); the OR only skips the rows
-- of the cursor's own millisecond already read. Rows outside the sample (:below) are filtered here, so a day of
-- 1M events never reaches JavaScript as 1M rows.
SELECT id, received_at, source, test, body, hashes FROM events
WHERE received_at >= max(:from, :after_at) AND received_at < :to AND (received_at > :after_at OR id > :after_id)
  AND (:below >= 4294967296 OR matchkey_sample_key(event_id) < :below)
ORDER BY received_at, id LIMIT :limit
