-- An event's identity hashes, each distinct SHA-256 once in binary (src/outbox/stored-event.ts): the body holds
-- their indexes instead of 64 hex characters each, ~500 of the ~1,900 bytes of a typical purchase. NULL for the
-- events stored before, whose body holds the hex inline and reads as it is.
ALTER TABLE events ADD COLUMN hashes BLOB;
