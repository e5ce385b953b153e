-- A delivered row keeps the attempt that delivered it on itself instead of in `attempts`, as the SQLite store does:
-- most rows are delivered at their first attempt, and an attempts row plus its index entry per delivery cost bytes
-- at rest and an insert per completion. `sent_latency_ms` not null marks a folded attempt; its time is the row's
-- last_attempt_at and its outcome 'delivered'. Failed attempts, a success whose row had lost its lease, and every
-- attempt recorded before this migration stay in `attempts`: readers read both. Nullable, no default: nothing is
-- rewritten.
ALTER TABLE deliveries
  ADD COLUMN sent_latency_ms integer,
  ADD COLUMN sent_http_status integer,
  ADD COLUMN sent_code text,
  ADD COLUMN sent_message text;
