-- The browser leg (docs/BROWSER.md), the PostgreSQL twin of src/outbox/sqlite/migrations/002_browser_leg.sql.
-- A browser event and its server twin share one event_id (src/event/event-id.ts) and diagnostics pair the two legs,
-- so both are stored: events become unique on (event_id, source). Deliveries stay unique on (destination_id,
-- event_id) — one server copy per destination, whichever leg brought it — and name the event they send by
-- event_source (their event is the row of events with that event_id and source): a take-over by the server twin
-- (src/outbox/types.ts DEFERRED_SKIP_REASONS) switches it, so the worker sends the server event's body.

ALTER TABLE events DROP CONSTRAINT events_event_id_key;
ALTER TABLE events ADD CONSTRAINT events_event_id_source_key UNIQUE (event_id, source);

-- Before this migration each event_id had exactly one event: backfill from it. ADD COLUMN with a constant default
-- is instant; the UPDATE then rewrites each delivery row once.
ALTER TABLE deliveries ADD COLUMN event_source text NOT NULL DEFAULT '';
UPDATE deliveries d SET event_source = e.source FROM events e WHERE e.event_id = d.event_id;
ALTER TABLE deliveries ALTER COLUMN event_source DROP DEFAULT;

-- What only the browser knows (cookies, click ids, user agent, IP, the consent it was given), kept for the order
-- webhook that arrives later and lacks it. One row per join key (`event:<event_id>`, `checkout:<token>`,
-- `cart:<token>`, `fbp:<cookie>`, `ttp:<cookie>`); later browser events for the same key are merged in (jsonb `||`:
-- newer top-level values win, the nested consent is replaced whole). Never raw email, phone, name or street: the
-- context is built from the hashed event's plain fields only (src/sources/browser/context.ts).
CREATE TABLE browser_contexts (
  join_key text PRIMARY KEY,
  context jsonb NOT NULL,
  updated_at bigint NOT NULL
);
-- Retention: contexts not updated for BROWSER_CONTEXT_RETENTION_MS are deleted oldest first.
CREATE INDEX browser_contexts_updated_at ON browser_contexts (updated_at);
