-- Delivery rows by id (:ids, a JSON array): retention's batch.
DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each(:ids))
