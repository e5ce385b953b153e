-- A browser event's queued first try, taken over by its server copy (insert-taken-over.sql).
DELETE FROM delivery_queue WHERE destination_no = :destination_no AND event_ref = :event_ref
