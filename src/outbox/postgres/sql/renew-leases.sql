-- Only rows still held by the claims named here ($2 tokens, one per id).
UPDATE deliveries d SET lease_until = $3::bigint, next_attempt_at = $3::bigint
FROM unnest($1::bigint[], $2::uuid[]) AS h (id, lease_token)
WHERE d.id = h.id AND d.lease_token = h.lease_token AND d.status = 'pending'
