SELECT min(next_attempt_at) AS due FROM deliveries WHERE destination_id = :destination_id AND status = 'pending'
