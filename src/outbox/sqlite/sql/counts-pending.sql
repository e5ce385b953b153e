-- The backlog per destination from its incremental counts (migration 004, kept by triggers), and the age of its
-- oldest pending row by one seek of deliveries_pending_age: no walk of the pending rows.
SELECT b.destination_id, b.platform, b.retrying, b.n,
  (SELECT min(d.created_at) FROM deliveries d INDEXED BY deliveries_pending_age
   WHERE d.destination_id = b.destination_id AND d.status = 'pending') AS oldest
FROM delivery_backlog b
WHERE b.n > 0
