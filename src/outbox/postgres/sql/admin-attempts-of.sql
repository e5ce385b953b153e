-- The attempt log of some delivery rows: the rows of `attempts` (attempts_delivery) in the order they were written,
-- then the attempt that delivered a row, folded onto it (migration 007, a point read of the row): the last of its log.
-- $1 delivery ids
SELECT delivery_id, at, latency_ms, http_status, outcome, platform_code, message
FROM (
  SELECT a.delivery_id, a.at, a.latency_ms, a.http_status, a.outcome, a.platform_code, a.message, false AS folded, a.id AS n
  FROM attempts a WHERE a.delivery_id = ANY ($1::bigint[])
  UNION ALL
  SELECT d.id, d.last_attempt_at, d.sent_latency_ms, d.sent_http_status, 'delivered', d.sent_code, d.sent_message, true, d.id
  FROM deliveries d WHERE d.id = ANY ($1::bigint[]) AND d.sent_latency_ms IS NOT NULL
) AS log
ORDER BY folded, n
