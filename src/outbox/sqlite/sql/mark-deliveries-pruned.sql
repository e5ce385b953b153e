-- Every leg of the pruned rows' events (:event_refs, a JSON array), by event_id: a late copy through any source
-- then creates no delivery (writer.ts insertItem), as on PostgreSQL.
UPDATE events SET deliveries_pruned = 1
WHERE deliveries_pruned = 0 AND event_id IN (SELECT e.event_id FROM events e WHERE e.id IN (SELECT value FROM json_each(:event_refs)))
