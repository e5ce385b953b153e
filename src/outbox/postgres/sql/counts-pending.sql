-- The backlog per destination from its incremental counts (migration 004, kept by the writing statements since
-- 005; summed over the shards), and the age of its oldest pending row by one seek of deliveries_pending_age: no walk
-- of the pending rows.
SELECT b.destination_id, b.platform, b.retrying, b.n,
  (SELECT min(d.created_at) FROM deliveries d WHERE d.destination_id = b.destination_id AND d.status = 'pending') AS oldest
FROM (
  SELECT destination_id, retrying, min(platform) AS platform, sum(n)::bigint AS n
  FROM delivery_backlog GROUP BY destination_id, retrying
) b
WHERE b.n > 0
