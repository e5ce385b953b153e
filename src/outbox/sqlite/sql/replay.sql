-- The retry budget starts afresh (attempts 0, no first attempt) so a replayed row is not dead on its first
-- failure; the attempts table keeps the full history.
UPDATE deliveries SET
  status = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = :now, lease_until = NULL, finished_at = NULL
WHERE status = :status
  AND (:destination_id IS NULL OR destination_id = :destination_id)
  AND (:since IS NULL OR finished_at >= :since)
  AND (:ids IS NULL OR id IN (SELECT value FROM json_each(:ids)))
RETURNING destination_id, platform
