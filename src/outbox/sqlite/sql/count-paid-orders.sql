-- How many orders were paid in [from, to) (their orders/paid records; test orders apart), on the orders_window index
-- alone (it holds topic and test): no record is read. Records, not distinct order ids: a redelivered webhook states
-- the same fact and is one record already (orders_fact), and count(DISTINCT) cost three times as much (a temporary
-- b-tree of the ids).
SELECT count(*) AS n FROM orders
WHERE occurred_at >= :from AND occurred_at < :to AND topic = 'orders/paid' AND ifnull(test, 0) = 0
