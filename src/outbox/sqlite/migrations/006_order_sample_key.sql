-- Each order record keeps the sample key (sampleKey(), src/outbox/event-scan.ts) of its order's purchase event_id
-- (`order_<order_id>`), written by the writer with the record. The delivered_share alert samples a busy window's
-- orders by it every evaluation: computed at read time, it was a JavaScript call for every order record of the
-- window, on the gateway's main thread (~1.5 µs each, ~300 ms per evaluation over 200,000 orders). Existing records
-- get theirs here, once (matchkey_sample_key, registered on the migrating connection by migrate.ts): ~4 µs a record
-- with the index below (0.75 s for 206,000), ~4 s per million orders stored, in this migration's transaction.
ALTER TABLE orders ADD COLUMN sample_key INTEGER;
UPDATE orders SET sample_key = matchkey_sample_key('order_' || order_id);

-- The window's index also holds what the count and the sample filter on, so both walk index entries only: the count
-- (topic, test) without reading a record (10 ms instead of 50 over 200,000 orders), the sampled read (sample_key)
-- reading the records of its sample only. Ordered reads (ORDER BY occurred_at, id) sort each run of equal
-- occurred_at only. It replaces orders_occurred_at (its first column): still one index to write per order record.
DROP INDEX orders_occurred_at;
CREATE INDEX orders_window ON orders (occurred_at, topic, test, sample_key);
