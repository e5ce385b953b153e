-- The attempt history of deleted delivery rows (:ids, a JSON array).
DELETE FROM attempts WHERE delivery_id IN (SELECT value FROM json_each(:ids))
