SELECT delivery_id, at, latency_ms, http_status, outcome, platform_code, message
FROM attempts WHERE delivery_id IN (SELECT value FROM json_each(:delivery_ids))
ORDER BY id
