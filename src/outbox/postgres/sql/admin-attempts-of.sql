-- $1 delivery ids (attempts_delivery)
SELECT delivery_id, at, latency_ms, http_status, outcome, platform_code, message
FROM attempts WHERE delivery_id = ANY ($1::bigint[])
ORDER BY id
