-- Shopify order names (#1001) → order ids; the orders table holds webhooks only, a small table.
SELECT DISTINCT order_id FROM orders WHERE name = :name OR name = '#' || :name
