-- The order log of [$1, $2) (orders_occurred_at). $3 samples it by order: only orders whose purchase event_id
-- (`order_<order_id>`, src/event/event-id.ts) has a sample key (the first 32 bits of its md5, as sampleKey() in
-- src/outbox/event-scan.ts) below it, so every record of a kept order is kept.
SELECT order_id, topic, name, occurred_at, total, currency, test, financial_status, refunded_amount
FROM orders WHERE occurred_at >= $1::bigint AND occurred_at < $2::bigint
  AND ($3::bigint >= 4294967296 OR ('x' || substr(md5('order_' || order_id), 1, 8))::bit(32)::bigint < $3::bigint)
ORDER BY occurred_at, id
