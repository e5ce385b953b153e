-- The PostgreSQL twin of src/outbox/sqlite/migrations/003_server_copy_wins.sql. The server copy of an event always
-- wins its delivery row (docs/BROWSER.md "One server copy per (destination, event_id)"): an anonymous /collect event with a server event's id must never absorb or spoil it. A browser row is
-- therefore taken over by the api/shopify event with the same event_id whatever its state; the state it had is kept
-- here (for the running totals and for anyone reading the row's history, whose attempts stay attached).
ALTER TABLE deliveries ADD COLUMN taken_over_from text;
