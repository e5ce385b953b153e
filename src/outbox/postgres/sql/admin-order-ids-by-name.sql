-- Shopify order names (#1001) → order ids; the orders table holds webhooks only, a small table.
-- $1 name without '#'
SELECT DISTINCT order_id FROM orders WHERE name = $1::text OR name = '#' || $1::text
