SELECT destination_id, status, min(platform) AS platform, sum(n)::bigint AS n
FROM delivery_totals GROUP BY destination_id, status
