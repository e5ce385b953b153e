-- Events: the hashed event (no `contact`, no raw identity) as JSON, keyed by its event_id.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  event_name TEXT NOT NULL,
  source TEXT NOT NULL,
  test INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX events_received_at ON events (received_at);

-- One row per (event, destination). next_attempt_at doubles as the lease: a claim moves it to lease_until, so a
-- crashed holder's rows become due again when the lease runs out, and "due" is one index range.
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  event_ref INTEGER NOT NULL REFERENCES events (id),
  destination_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  status TEXT NOT NULL,
  skip_reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER,
  lease_until INTEGER,
  first_attempt_at INTEGER,
  last_attempt_at INTEGER,
  finished_at INTEGER,
  last_error_code TEXT,
  last_error_message TEXT,
  sealed_contact BLOB
);
-- One delivery per destination and event: how a re-sent order never becomes a second purchase.
CREATE UNIQUE INDEX deliveries_destination_event ON deliveries (destination_id, event_ref);
-- Claim and nextDueAt: a range scan over pending rows only. The trailing columns make it covering for the
-- pending half of counts(); a claim or retry rewrites the entry anyway (next_attempt_at moves), so they are free.
CREATE INDEX deliveries_due ON deliveries (destination_id, next_attempt_at, attempts, created_at, platform) WHERE status = 'pending';
-- replay(): finished rows by status and time.
CREATE INDEX deliveries_finished ON deliveries (status, finished_at) WHERE status IN ('dead', 'rejected');

CREATE TABLE attempts (
  id INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  http_status INTEGER,
  outcome TEXT NOT NULL,
  platform_code TEXT,
  message TEXT
);
CREATE INDEX attempts_delivery ON attempts (delivery_id);

CREATE TABLE webhooks (
  webhook_id TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  order_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  name TEXT,
  occurred_at INTEGER NOT NULL,
  total REAL,
  currency TEXT,
  test INTEGER,
  financial_status TEXT,
  refunded_amount REAL,
  received_at INTEGER NOT NULL
);
-- The same order fact delivered under two webhook ids is still one fact for reconciliation.
CREATE UNIQUE INDEX orders_fact ON orders (order_id, topic, occurred_at, ifnull(refunded_amount, -1));
CREATE INDEX orders_occurred_at ON orders (occurred_at);

-- Running totals of final rows per destination, kept in the same transactions that change a row's status, so
-- counts() reads the backlog (pending rows) plus these few rows instead of scanning millions of finished ones.
CREATE TABLE delivery_totals (
  destination_id TEXT NOT NULL,
  status TEXT NOT NULL,
  platform TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (destination_id, status)
) WITHOUT ROWID;
