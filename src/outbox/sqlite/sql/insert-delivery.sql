INSERT INTO deliveries (event_ref, event_id, destination_id, platform, status, skip_reason, created_at, next_attempt_at, finished_at, sealed_contact)
VALUES (:event_ref, :event_id, :destination_id, :platform, :status, :skip_reason, :created_at, :next_attempt_at, :finished_at, :sealed_contact)
ON CONFLICT (destination_id, event_id) DO NOTHING
