INSERT INTO delivery_totals (destination_id, status, platform, n) VALUES (:destination_id, :status, :platform, :n)
ON CONFLICT (destination_id, status) DO UPDATE SET n = n + excluded.n
