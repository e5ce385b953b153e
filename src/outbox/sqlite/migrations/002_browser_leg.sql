-- The browser leg (docs/BROWSER.md). A browser event and its server twin share one event_id (src/event/event-id.ts),
-- and diagnostics pair the two legs, so both must be stored: events become unique on (event_id, source). What must
-- stay unique across legs is the server copy: deliveries become unique on (destination_id, event_id), with event_id
-- copied onto the delivery row (backfilled from its event).

-- SQLite cannot drop an inline UNIQUE constraint: the table is rebuilt, keeping every id (deliveries point at them).
CREATE TABLE events_v2 (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  source TEXT NOT NULL,
  test INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (event_id, source)
);
INSERT INTO events_v2 (id, event_id, event_name, source, test, received_at, body)
  SELECT id, event_id, event_name, source, test, received_at, body FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_received_at ON events (received_at);

ALTER TABLE deliveries ADD COLUMN event_id TEXT NOT NULL DEFAULT '';
UPDATE deliveries SET event_id = (SELECT e.event_id FROM events e WHERE e.id = deliveries.event_ref);
DROP INDEX deliveries_destination_event;
-- One server copy per destination and event_id, whichever leg (browser, api, shopify) brought the event.
CREATE UNIQUE INDEX deliveries_destination_event ON deliveries (destination_id, event_id);
CREATE INDEX deliveries_event_ref ON deliveries (event_ref);

-- What only the browser knows (cookies, click ids, user agent, IP, the consent it was given), kept for the order
-- webhook that arrives later and lacks it. One row per join key (`event:<event_id>`, `checkout:<token>`,
-- `cart:<token>`, `fbp:<cookie>`, `ttp:<cookie>`); later browser events for the same key are merged in
-- (json_patch: newer values win). Never raw email, phone, name or street: the context is built from the hashed
-- event's plain fields only (src/sources/browser/context.ts).
CREATE TABLE browser_contexts (
  join_key TEXT PRIMARY KEY,
  context TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX browser_contexts_updated_at ON browser_contexts (updated_at);
