-- An event's identity hashes (user.em, fn, …) move out of its JSON body into a column of their own, each distinct
-- SHA-256 once in binary, the body holding its index (the codec both stores share: src/outbox/stored-event.ts).
-- NULL for the rows stored before this migration: their body holds the hex inline and reads as it is.
ALTER TABLE events ADD COLUMN hashes bytea;
