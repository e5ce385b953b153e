SELECT destination_id, platform, attempts > 0 AS retrying, count(*) AS n, min(created_at) AS oldest
FROM deliveries INDEXED BY deliveries_due
WHERE status = 'pending'
GROUP BY destination_id, platform, attempts > 0
