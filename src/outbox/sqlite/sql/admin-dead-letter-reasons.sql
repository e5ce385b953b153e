-- The reason picker: every filter but the reason itself.
SELECT ifnull(d.last_error_code, 'unknown') AS error_code, count(*) AS n
FROM deliveries d
WHERE d.status IN ('dead', 'rejected')
  AND (:status IS NULL OR d.status = :status)
  AND d.finished_at >= :from AND d.finished_at < :to
  AND (:destination_id IS NULL OR d.destination_id = :destination_id)
  AND (:platform IS NULL OR d.platform = :platform)
GROUP BY error_code
ORDER BY n DESC, error_code
