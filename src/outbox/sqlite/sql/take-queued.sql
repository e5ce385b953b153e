-- A first try's outcome: its entry leaves the queue, if a claim still holds it (a browser entry taken over by its
-- server copy while in flight is gone: its outcome must not become the server copy's, as complete.sql).
DELETE FROM delivery_queue WHERE destination_no = ? AND event_ref = ? AND lease_until IS NOT NULL
RETURNING created_at, sealed_contact
