INSERT INTO delivery_activity (minute, destination_id, platform, n) VALUES (:minute, :destination_id, :platform, :n)
ON CONFLICT (minute, destination_id) DO UPDATE SET n = n + excluded.n
