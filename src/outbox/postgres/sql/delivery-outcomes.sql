-- The delivery side of `matchkey reconcile` (docs/RECONCILE.md), one page of events at a time (keyset on events.id),
-- so a month of purchases is never one result held at once. An event is received at or after it happened, so
-- received_at >= $1 (the range start minus a margin for clock skew) narrows the scan through its index.
-- $1 received_from | $2 from (unix s) | $3 to (unix s) | $4 after this events.id | $5 events per page
WITH page AS (
  SELECT e.id, e.event_id, e.source, e.event_time, e.test
  FROM events e
  WHERE e.event_name = 'purchase'
    AND e.received_at >= $1::bigint
    AND e.event_time >= $2::float8 AND e.event_time < $3::float8
    AND e.id > $4::bigint
  ORDER BY e.id
  LIMIT $5::int
)
SELECT e.id AS ref, d.destination_id, d.platform, e.event_id, e.event_time, d.status, d.attempts,
       d.last_error_code, d.last_error_message, d.skip_reason, e.test
FROM page e JOIN deliveries d ON d.event_id = e.event_id AND d.event_source = e.source
UNION ALL
-- The page's last event, row or not: where the next page starts (an event with no delivery row still counts).
SELECT max(id), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM page
ORDER BY 1, 2
