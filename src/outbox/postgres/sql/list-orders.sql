SELECT order_id, topic, name, occurred_at, total, currency, test, financial_status, refunded_amount
FROM orders WHERE occurred_at >= $1::bigint AND occurred_at < $2::bigint ORDER BY occurred_at, id
