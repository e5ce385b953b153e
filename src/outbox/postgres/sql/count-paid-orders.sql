-- How many orders were paid in [$1, $2) (their orders/paid records; test orders apart), on the orders_occurred_at
-- index without sending a row. Records, not distinct order ids: a redelivered webhook states the same fact and is
-- one record already (orders_fact).
SELECT count(*)::int AS n FROM orders
WHERE occurred_at >= $1::bigint AND occurred_at < $2::bigint AND topic = 'orders/paid' AND test IS NOT TRUE
