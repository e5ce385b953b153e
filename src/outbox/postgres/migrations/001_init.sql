-- The PostgreSQL twin of src/outbox/sqlite/migrations/001_init.sql: same tables, same meaning, shared by every
-- gateway instance. Times are unix milliseconds (bigint) taken from the gateway's clock, as in SQLite.

-- The hashed event (no `contact`, no raw identity) as JSON text: it is written once and read back whole, so text
-- costs neither a jsonb conversion on insert nor one on claim. event_time (unix s) is a column for reconciliation.
-- deliveries_pruned: retention removed delivered rows of this event; a re-sent copy must not create them again.
CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id text NOT NULL UNIQUE,
  event_name text NOT NULL,
  source text NOT NULL,
  test boolean NOT NULL,
  event_time double precision NOT NULL,
  received_at bigint NOT NULL,
  deliveries_pruned boolean NOT NULL DEFAULT false,
  body text NOT NULL
);
CREATE INDEX events_received_at ON events (received_at);

-- One row per (event, destination), keyed by the event_id itself so an ingest inserts events and deliveries in one
-- statement without reading ids back. next_attempt_at doubles as the lease, as in SQLite: a claim moves it to
-- lease_until, so a crashed holder's rows are due again when the lease runs out. lease_token names the claim that
-- holds the row: only that claim may complete, renew or release it (a holder whose lease expired and was
-- re-claimed elsewhere is refused). lease_expiries counts claims that took the row over from an expired lease
-- (each one a possible second send); late_completions counts completions refused because the lease had moved on.
-- lease_owner names the instance (host:pid) that made the latest claim, for operators looking at a stuck row.
CREATE TABLE deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id text NOT NULL,
  destination_id text NOT NULL,
  platform text NOT NULL,
  status text NOT NULL,
  skip_reason text,
  attempts integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  next_attempt_at bigint,
  lease_until bigint,
  lease_token uuid,
  lease_owner text,
  lease_expiries integer NOT NULL DEFAULT 0,
  late_completions integer NOT NULL DEFAULT 0,
  first_attempt_at bigint,
  last_attempt_at bigint,
  finished_at bigint,
  last_error_code text,
  last_error_message text,
  sealed_contact bytea
);
-- One delivery per destination and event: how a re-sent order never becomes a second purchase.
CREATE UNIQUE INDEX deliveries_destination_event ON deliveries (destination_id, event_id);
-- Claims and nextDueAt: one range scan over pending rows only, whatever the number of finished rows.
CREATE INDEX deliveries_due ON deliveries (destination_id, next_attempt_at, id) WHERE status = 'pending';
-- replay(): finished rows by status and time.
CREATE INDEX deliveries_finished ON deliveries (status, finished_at) WHERE status IN ('dead', 'rejected');
-- pruneDelivered(): the oldest delivered rows first.
CREATE INDEX deliveries_delivered ON deliveries (finished_at) WHERE status = 'delivered';
-- Every pending row is rewritten by its claim and its completion: vacuum early so the due index stays small.
ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

CREATE TABLE attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id bigint NOT NULL,
  at bigint NOT NULL,
  latency_ms integer NOT NULL,
  http_status integer,
  outcome text NOT NULL,
  platform_code text,
  message text
);
CREATE INDEX attempts_delivery ON attempts (delivery_id);

CREATE TABLE webhooks (
  webhook_id text PRIMARY KEY,
  received_at bigint NOT NULL
);

CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id text NOT NULL,
  topic text NOT NULL,
  name text,
  occurred_at bigint NOT NULL,
  total double precision,
  currency text,
  test boolean,
  financial_status text,
  refunded_amount double precision,
  received_at bigint NOT NULL
);
-- The same order fact delivered under two webhook ids is still one fact for reconciliation.
CREATE UNIQUE INDEX orders_fact ON orders (order_id, topic, occurred_at, coalesce(refunded_amount, -1));
CREATE INDEX orders_occurred_at ON orders (occurred_at);

-- Running totals of final rows, as in SQLite, so counts() never scans finished rows. Each store instance writes
-- its own shard: instances finishing rows of the same destination at once never wait on one counter row.
CREATE TABLE delivery_totals (
  destination_id text NOT NULL,
  status text NOT NULL,
  shard smallint NOT NULL,
  platform text NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (destination_id, status, shard)
);
