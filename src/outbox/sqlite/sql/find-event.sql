SELECT id, deliveries_pruned FROM events WHERE event_id = :event_id AND source = :source
