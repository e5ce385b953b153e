INSERT INTO attempts (delivery_id, at, latency_ms, http_status, outcome, platform_code, message)
VALUES (:delivery_id, :at, :latency_ms, :http_status, :outcome, :platform_code, :message)
