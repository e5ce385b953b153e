-- Dashboard dead letters, newest first (deliveries_finished index on status, finished_at). The event is the one
-- the row sends (event_source: a browser event's server twin may have taken the row over).
-- $1 status | $2 from | $3 to | $4 destination_id | $5 platform | $6 error_code | $7 limit | $8 offset
SELECT d.id, e.event_id, e.event_name, d.destination_id, d.platform, d.status, d.attempts,
       d.last_error_code, d.last_error_message, d.finished_at
FROM deliveries d JOIN events e ON e.event_id = d.event_id AND e.source = d.event_source
WHERE d.status IN ('dead', 'rejected')
  AND ($1::text IS NULL OR d.status = $1::text)
  AND d.finished_at >= $2::bigint AND d.finished_at < $3::bigint
  AND ($4::text IS NULL OR d.destination_id = $4::text)
  AND ($5::text IS NULL OR d.platform = $5::text)
  AND ($6::text IS NULL OR d.last_error_code = $6::text)
ORDER BY d.finished_at DESC, d.id DESC
LIMIT $7::int OFFSET $8::int
