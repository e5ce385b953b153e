INSERT INTO webhooks (webhook_id, received_at) VALUES (:webhook_id, :received_at) ON CONFLICT (webhook_id) DO NOTHING
