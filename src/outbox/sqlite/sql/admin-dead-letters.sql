-- Dashboard dead letters, newest first (deliveries_finished index on status, finished_at).
SELECT d.id, e.event_id, e.event_name, d.destination_id, d.platform, d.status, d.attempts,
       d.last_error_code, d.last_error_message, d.finished_at
FROM deliveries d JOIN events e ON e.id = d.event_ref
WHERE d.status IN ('dead', 'rejected')
  AND (:status IS NULL OR d.status = :status)
  AND d.finished_at >= :from AND d.finished_at < :to
  AND (:destination_id IS NULL OR d.destination_id = :destination_id)
  AND (:platform IS NULL OR d.platform = :platform)
  AND (:error_code IS NULL OR d.last_error_code = :error_code)
ORDER BY d.finished_at DESC, d.id DESC
LIMIT :limit OFFSET :offset
