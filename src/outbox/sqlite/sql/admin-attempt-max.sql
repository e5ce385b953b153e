SELECT max(id) AS id FROM attempts
