SELECT order_id, topic, name, occurred_at, total, currency, test, financial_status, refunded_amount
FROM orders WHERE occurred_at >= :from AND occurred_at < :to ORDER BY occurred_at, id
