-- One statement, so one round trip and one implicit transaction: the webhook id, the events, their deliveries,
-- the order record and the totals of rows born final. With a webhook id already stored (a concurrent insert of
-- the same id waits for the first to commit), `go` is false and nothing else is written.
-- Rows go in key order (event_id; destination_id, event_id), not arrival order: two statements inserting the
-- same keys (one batch posted to two instances) then wait on each other in one direction and never deadlock.
-- $1 webhook_id | $2 now | $3..$8 events | $9..$14 deliveries | $15..$23 order | $24 totals shard
WITH webhook AS (
  INSERT INTO webhooks (webhook_id, received_at)
  SELECT $1::text, $2::bigint WHERE $1::text IS NOT NULL
  ON CONFLICT (webhook_id) DO NOTHING
  RETURNING 1
),
go AS (
  SELECT ($1::text IS NULL OR EXISTS (SELECT 1 FROM webhook)) AS ok
),
new_events AS (
  INSERT INTO events (event_id, event_name, source, test, event_time, received_at, body)
  SELECT e.event_id, e.event_name, e.source, e.test, e.event_time, $2::bigint, e.body
  FROM unnest($3::text[], $4::text[], $5::text[], $6::boolean[], $7::float8[], $8::text[])
    AS e (event_id, event_name, source, test, event_time, body)
  WHERE (SELECT ok FROM go)
  ORDER BY e.event_id
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id
),
new_deliveries AS (
  INSERT INTO deliveries (event_id, destination_id, platform, status, skip_reason, created_at, next_attempt_at, finished_at, sealed_contact)
  SELECT d.event_id, d.destination_id, d.platform, d.status, d.skip_reason, $2::bigint,
         CASE WHEN d.status = 'pending' THEN $2::bigint END,
         CASE WHEN d.status = 'pending' THEN NULL ELSE $2::bigint END,
         d.sealed_contact
  FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bytea[])
    AS d (event_id, destination_id, platform, status, skip_reason, sealed_contact)
  WHERE (SELECT ok FROM go)
    AND NOT EXISTS (SELECT 1 FROM events p WHERE p.event_id = d.event_id AND p.deliveries_pruned)
  ORDER BY d.destination_id, d.event_id
  ON CONFLICT (destination_id, event_id) DO NOTHING
  RETURNING event_id, destination_id, platform, status
),
new_order AS (
  INSERT INTO orders (order_id, topic, name, occurred_at, total, currency, test, financial_status, refunded_amount, received_at)
  SELECT $15::text, $16::text, $17::text, $18::bigint, $19::float8, $20::text, $21::boolean, $22::text, $23::float8, $2::bigint
  WHERE $15::text IS NOT NULL AND (SELECT ok FROM go)
  ON CONFLICT DO NOTHING
),
totals AS (
  INSERT INTO delivery_totals (destination_id, status, shard, platform, n)
  SELECT destination_id, status, $24::smallint, min(platform), count(*)
  FROM new_deliveries WHERE status <> 'pending'
  GROUP BY destination_id, status
  ORDER BY destination_id, status
  ON CONFLICT (destination_id, status, shard) DO UPDATE SET n = delivery_totals.n + excluded.n
)
SELECT 'go' AS kind, NULL AS event_id, NULL AS destination_id, (SELECT ok FROM go) AS ok
UNION ALL SELECT 'event', event_id, NULL, NULL FROM new_events
UNION ALL SELECT 'delivery', event_id, destination_id, NULL FROM new_deliveries
