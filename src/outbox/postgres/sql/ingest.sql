-- One statement, so one round trip and one implicit transaction: the webhook id, the events, their deliveries,
-- the order record and the totals of rows born final. With a webhook id already stored (a concurrent insert of
-- the same id waits for the first to commit), `go` is false and nothing else is written.
-- Rows go in key order ((event_id, source); (destination_id, event_id)), not arrival order: two statements
-- inserting the same keys (one batch posted to two instances) then wait on each other in one direction and never
-- deadlock.
-- Deliveries arrive one per (destination_id, event_id), already folded by the store (store.ts planDeliveries) the
-- way sequential ingests would have left them. A key whose plan includes a non-browser event also carries the plan
-- for the take-over (t_*): the server copy always wins (docs/BROWSER.md "One server copy per (destination,
-- event_id)"), so when the key already has a row owned by a browser event — whatever its state and event name —
-- that row becomes this event's. ON CONFLICT DO UPDATE, not a separate UPDATE: it acts on the latest committed row
-- even when it was inserted by a transaction that committed after this statement's snapshot (the browser leg and
-- the webhook arriving at once on two instances). A browser send in flight loses its lease token, so its completion
-- changes nothing (complete.sql), and the server copy waits for the end of that lease before it is claimed; the
-- state the row had is kept in taken_over_from (the totals move by it). Keys without a take-over plan use DO
-- NOTHING and lock nothing (a late browser twin must not wait on the row being sent), and so do keys whose row this
-- statement already sees owned by a server event: such a row never becomes a browser's again, and DO UPDATE would
-- lock it even though its WHERE fails. A client re-sending a batch while the worker completes the same rows then
-- deadlocked: this statement locked them in key order, the completion in id order (test/postgres/lock-order.test.ts).
-- $1 webhook_id | $2 now | $3..$9 events | $10..$16 deliveries | $17..$20 take-over plan
-- $21..$29 order | $30 totals shard
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
  INSERT INTO events (event_id, event_name, source, test, event_time, received_at, body, hashes)
  SELECT e.event_id, e.event_name, e.source, e.test, e.event_time, $2::bigint, e.body, e.hashes
  FROM unnest($3::text[], $4::text[], $5::text[], $6::boolean[], $7::float8[], $8::text[], $9::bytea[])
    AS e (event_id, event_name, source, test, event_time, body, hashes)
  WHERE (SELECT ok FROM go)
  ORDER BY e.event_id, e.source
  ON CONFLICT (event_id, source) DO NOTHING
  RETURNING event_id, source
),
planned AS (
  SELECT d.*
  FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::bytea[],
              $17::text[], $18::text[], $19::text[], $20::bytea[])
    AS d (event_id, destination_id, platform, event_source, status, skip_reason, sealed_contact,
          t_event_source, t_status, t_skip_reason, t_sealed_contact)
  WHERE (SELECT ok FROM go)
    AND NOT EXISTS (SELECT 1 FROM events p WHERE p.event_id = d.event_id AND p.deliveries_pruned)
),
-- Take-over candidates whose key has a row, visible here, owned by a server event: absorbed without a lock.
settled AS (
  SELECT d.destination_id, d.event_id
  FROM planned d
  JOIN deliveries cur ON cur.destination_id = d.destination_id AND cur.event_id = d.event_id
  WHERE d.t_event_source IS NOT NULL
    AND cur.event_source <> 'browser'
),
absorbed_deliveries AS (
  INSERT INTO deliveries (event_id, event_source, destination_id, platform, status, skip_reason, created_at, next_attempt_at, finished_at, sealed_contact)
  SELECT d.event_id, d.event_source, d.destination_id, d.platform, d.status, d.skip_reason, $2::bigint,
         CASE WHEN d.status = 'pending' THEN $2::bigint END,
         CASE WHEN d.status = 'pending' THEN NULL ELSE $2::bigint END,
         d.sealed_contact
  FROM planned d
  WHERE d.t_event_source IS NULL
     OR EXISTS (SELECT 1 FROM settled s WHERE s.destination_id = d.destination_id AND s.event_id = d.event_id)
  ORDER BY d.destination_id, d.event_id
  ON CONFLICT (destination_id, event_id) DO NOTHING
  RETURNING event_id, destination_id, platform, status, true AS inserted, NULL::text AS taken_over_from, NULL::int AS taken_over_attempts
),
taking_deliveries AS (
  INSERT INTO deliveries AS cur (event_id, event_source, destination_id, platform, status, skip_reason, created_at, next_attempt_at, finished_at, sealed_contact)
  SELECT d.event_id, d.event_source, d.destination_id, d.platform, d.status, d.skip_reason, $2::bigint,
         CASE WHEN d.status = 'pending' THEN $2::bigint END,
         CASE WHEN d.status = 'pending' THEN NULL ELSE $2::bigint END,
         d.sealed_contact
  FROM planned d
  WHERE d.t_event_source IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM settled s WHERE s.destination_id = d.destination_id AND s.event_id = d.event_id)
  ORDER BY d.destination_id, d.event_id
  ON CONFLICT (destination_id, event_id) DO UPDATE SET
    (event_source, status, skip_reason, created_at, next_attempt_at, finished_at, sealed_contact) = (
      -- The inserted plan is the take-over plan unless the batch's first event for this key was a browser event
      -- (store.ts planDeliveries): only then is the take-over plan looked up (a one-time filter skips the scan
      -- otherwise).
      SELECT excluded.event_source, excluded.status, excluded.skip_reason, excluded.created_at,
             CASE WHEN excluded.status = 'pending' THEN greatest(excluded.next_attempt_at, coalesce(cur.lease_until, 0)) END,
             excluded.finished_at, excluded.sealed_contact
      WHERE excluded.event_source <> 'browser'
      UNION ALL
      SELECT t.t_event_source, t.t_status, t.t_skip_reason, $2::bigint,
             CASE WHEN t.t_status = 'pending' THEN greatest($2::bigint, coalesce(cur.lease_until, 0)) END,
             CASE WHEN t.t_status = 'pending' THEN NULL ELSE $2::bigint END,
             t.t_sealed_contact
      FROM planned t
      WHERE excluded.event_source = 'browser'
        AND t.destination_id = excluded.destination_id AND t.event_id = excluded.event_id
    ),
    taken_over_from = cur.status,
    taken_over_attempts = cur.attempts,
    attempts = 0,
    lease_until = NULL,
    lease_token = NULL,
    first_attempt_at = NULL,
    last_attempt_at = NULL,
    last_error_code = NULL,
    last_error_message = NULL
  WHERE cur.event_source = 'browser'
  -- xmax is 0 on a freshly inserted row version and set on one written by the DO UPDATE branch.
  RETURNING event_id, destination_id, platform, status, (xmax = 0) AS inserted, taken_over_from, taken_over_attempts
),
new_deliveries AS (
  SELECT * FROM absorbed_deliveries UNION ALL SELECT * FROM taking_deliveries
),
new_order AS (
  INSERT INTO orders (order_id, topic, name, occurred_at, total, currency, test, financial_status, refunded_amount, received_at)
  SELECT $21::text, $22::text, $23::text, $24::bigint, $25::float8, $26::text, $27::boolean, $28::text, $29::float8, $2::bigint
  WHERE $21::text IS NOT NULL AND (SELECT ok FROM go)
  ON CONFLICT DO NOTHING
),
-- A row born final counts +1 for its status; a taken-over row leaves the status it had (-1) for its new one.
totals AS (
  INSERT INTO delivery_totals (destination_id, status, shard, platform, n)
  SELECT destination_id, status, $30::smallint, min(platform), sum(n)
  FROM (
    SELECT destination_id, status, platform, 1 AS n FROM new_deliveries WHERE status <> 'pending'
    UNION ALL
    SELECT destination_id, taken_over_from, platform, -1 FROM new_deliveries WHERE NOT inserted AND taken_over_from <> 'pending'
  ) AS change
  GROUP BY destination_id, status
  HAVING sum(n) <> 0
  ORDER BY destination_id, status
  ON CONFLICT (destination_id, status, shard) DO UPDATE SET n = delivery_totals.n + excluded.n
),
-- A new pending row enters the backlog (never tried); a taken-over pending row leaves the bucket it was in.
backlog AS (
  INSERT INTO delivery_backlog (destination_id, retrying, shard, platform, n)
  SELECT destination_id, retrying, (pg_backend_pid() % 64)::smallint, min(platform), sum(n)
  FROM (
    SELECT destination_id, false AS retrying, platform, 1 AS n FROM new_deliveries WHERE status = 'pending'
    UNION ALL
    SELECT destination_id, taken_over_attempts > 0, platform, -1 FROM new_deliveries WHERE NOT inserted AND taken_over_from = 'pending'
  ) AS change
  GROUP BY destination_id, retrying
  HAVING sum(n) <> 0
  ORDER BY destination_id, retrying
  ON CONFLICT (destination_id, retrying, shard) DO UPDATE SET n = delivery_backlog.n + excluded.n
)
SELECT 'go' AS kind, NULL AS event_id, NULL AS key, (SELECT ok FROM go) AS ok
UNION ALL SELECT 'event', event_id, source, NULL FROM new_events
UNION ALL SELECT 'delivery', event_id, destination_id, inserted FROM new_deliveries
