-- The order log of [from, to) (orders_occurred_at). :below samples it by order: only orders whose purchase event_id
-- (`order_<order_id>`, src/event/event-id.ts) has a sample key below it, so every record of a kept order is kept.
SELECT order_id, topic, name, occurred_at, total, currency, test, financial_status, refunded_amount
FROM orders WHERE occurred_at >= :from AND occurred_at < :to
  AND (:below >= 4294967296 OR matchkey_sample_key('order_' || order_id) < :below)
ORDER BY occurred_at, id
