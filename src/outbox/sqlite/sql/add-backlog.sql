INSERT INTO delivery_backlog (destination_id, retrying, platform, n) VALUES (:destination_id, :retrying, :platform, :n)
ON CONFLICT (destination_id, retrying) DO UPDATE SET n = n + excluded.n
