-- $1 webhook_id | $2 now | $3..$11 order
WITH webhook AS (
  INSERT INTO webhooks (webhook_id, received_at)
  SELECT $1::text, $2::bigint WHERE $1::text IS NOT NULL
  ON CONFLICT (webhook_id) DO NOTHING
  RETURNING 1
),
go AS (
  SELECT ($1::text IS NULL OR EXISTS (SELECT 1 FROM webhook)) AS ok
),
new_order AS (
  INSERT INTO orders (order_id, topic, name, occurred_at, total, currency, test, financial_status, refunded_amount, received_at)
  SELECT $3::text, $4::text, $5::text, $6::bigint, $7::float8, $8::text, $9::boolean, $10::text, $11::float8, $2::bigint
  WHERE (SELECT ok FROM go)
  ON CONFLICT DO NOTHING
)
SELECT ok FROM go
