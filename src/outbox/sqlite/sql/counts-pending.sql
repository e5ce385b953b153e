-- The backlog per destination from its incremental counts (delivery_backlog, kept by the writer), and the age of its
-- oldest pending delivery: one seek of deliveries_pending_age for rows, and the head of its queue (entries are in
-- the order events were stored, so the head is the oldest but for a delivery queued later for an event stored
-- earlier, a re-sent copy's). No walk of the pending rows or entries.
SELECT b.destination_id, b.platform, b.retrying, b.n,
  (SELECT min(t) FROM (
     SELECT (SELECT min(d.created_at) FROM deliveries d INDEXED BY deliveries_pending_age
             WHERE d.destination_id = b.destination_id AND d.status = 'pending') AS t
     UNION ALL
     SELECT (SELECT q.created_at FROM delivery_queue q WHERE q.destination_no = n.no ORDER BY q.event_ref LIMIT 1)
     FROM destination_numbers n WHERE n.destination_id = b.destination_id
  )) AS oldest
FROM delivery_backlog b
WHERE b.n > 0
