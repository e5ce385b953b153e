-- The order log of [from, to) (orders_window). :below samples it by order: only orders whose purchase event_id
-- (`order_<order_id>`, src/event/event-id.ts) has a sample key below it, so every record of a kept order is kept.
-- The key is stored with the record (sample_key, by the writer) and in the index: the records outside the sample
-- are passed over in the index, never read.
SELECT order_id, topic, name, occurred_at, total, currency, test, financial_status, refunded_amount
FROM orders WHERE occurred_at >= :from AND occurred_at < :to
  AND (:below >= 4294967296 OR sample_key < :below)
ORDER BY occurred_at, id
