UPDATE deliveries SET lease_until = :until, next_attempt_at = :until
WHERE id IN (SELECT value FROM json_each(:ids)) AND status = 'pending' AND lease_until IS NOT NULL
