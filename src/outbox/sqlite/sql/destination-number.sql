-- A destination's queue number (migration 009), assigned on its first queued delivery.
INSERT INTO destination_numbers (destination_id, platform) VALUES (:destination_id, :platform)
ON CONFLICT (destination_id, platform) DO UPDATE SET platform = excluded.platform
RETURNING no
