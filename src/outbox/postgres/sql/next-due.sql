SELECT min(next_attempt_at) AS due FROM deliveries WHERE destination_id = $1::text AND status = 'pending'
