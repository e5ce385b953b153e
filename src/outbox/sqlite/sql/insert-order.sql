INSERT INTO orders (order_id, topic, name, occurred_at, total, currency, test, financial_status, refunded_amount, received_at, sample_key)
VALUES (:order_id, :topic, :name, :occurred_at, :total, :currency, :test, :financial_status, :refunded_amount, :received_at, :sample_key)
ON CONFLICT DO NOTHING
