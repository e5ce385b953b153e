SELECT count(*) AS n
FROM deliveries d
WHERE d.status IN ('dead', 'rejected')
  AND (:status IS NULL OR d.status = :status)
  AND d.finished_at >= :from AND d.finished_at < :to
  AND (:destination_id IS NULL OR d.destination_id = :destination_id)
  AND (:platform IS NULL OR d.platform = :platform)
  AND (:error_code IS NULL OR d.last_error_code = :error_code)
