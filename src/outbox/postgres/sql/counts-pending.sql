SELECT destination_id, platform, attempts > 0 AS retrying, count(*)::bigint AS n, min(created_at) AS oldest
FROM deliveries
WHERE status = 'pending'
GROUP BY destination_id, platform, attempts > 0
