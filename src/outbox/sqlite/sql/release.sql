UPDATE deliveries SET lease_until = NULL, next_attempt_at = :now
WHERE id IN (SELECT value FROM json_each(:ids)) AND status = 'pending' AND lease_until IS NOT NULL
