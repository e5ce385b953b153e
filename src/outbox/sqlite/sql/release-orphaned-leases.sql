UPDATE deliveries SET lease_until = NULL, next_attempt_at = :now
WHERE status = 'pending' AND lease_until IS NOT NULL AND lease_until > :now
