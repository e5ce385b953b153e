-- The delivery side of `matchkey reconcile` (docs/RECONCILE.md). An event is received at or after it happened,
-- so received_at >= $1 (the range start minus a margin for clock skew) narrows the scan through its index.
-- $1 received_from | $2 from (unix s) | $3 to (unix s)
SELECT d.destination_id, d.platform, e.event_id, e.event_time, d.status, d.attempts,
       d.last_error_code, d.last_error_message, d.skip_reason, e.test
FROM events e JOIN deliveries d ON d.event_id = e.event_id AND d.event_source = e.source
WHERE e.event_name = 'purchase'
  AND e.received_at >= $1::bigint
  AND e.event_time >= $2::float8 AND e.event_time < $3::float8
ORDER BY e.id, d.destination_id
