-- When a destination next has something to claim: its pending rows' next attempt, and its queue entries (a first
-- try is due at once; a leased one when its lease ends). Read after a claim found nothing, when every entry left
-- is leased: a few claims' worth.
SELECT min(due) AS due FROM (
  SELECT min(next_attempt_at) AS due FROM deliveries WHERE destination_id = :destination_id AND status = 'pending'
  UNION ALL
  SELECT min(coalesce(q.lease_until, q.created_at)) FROM destination_numbers n JOIN delivery_queue q ON q.destination_no = n.no
  WHERE n.destination_id = :destination_id
)
