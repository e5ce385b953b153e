-- Google's upload diagnostics on the Data Manager path (src/diagnostics/quality/pull.ts): one destination's purchase
-- deliveries received in [from, to) that the platform answered about (delivered or rejected), counted per status and
-- error code in SQL, so a day of a million orders is a few rows, not a million objects.
-- $1 destination_id | $2 from (unix ms) | $3 to (unix ms)
SELECT d.status, d.last_error_code AS error_code, count(*)::int AS n
FROM events e JOIN deliveries d ON d.event_id = e.event_id AND d.event_source = e.source AND d.destination_id = $1::text
WHERE e.received_at >= $2::bigint AND e.received_at < $3::bigint
  AND e.event_name = 'purchase' AND NOT e.test
  AND d.status IN ('delivered', 'rejected')
GROUP BY d.status, d.last_error_code
