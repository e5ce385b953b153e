-- Google's upload diagnostics on the Data Manager path (src/diagnostics/quality/pull.ts): one destination's purchase
-- deliveries received in [from, to) that the platform answered about (delivered or rejected), counted per status and
-- error code in SQL, so a day of a million orders is a few rows, not a million objects.
SELECT d.status, d.last_error_code AS error_code, count(*) AS n
FROM events e JOIN deliveries d ON d.event_ref = e.id AND d.destination_id = :destination_id
WHERE e.received_at >= :from AND e.received_at < :to
  AND e.event_name = 'purchase' AND e.test = 0
  AND d.status IN ('delivered', 'rejected')
GROUP BY d.status, d.last_error_code
