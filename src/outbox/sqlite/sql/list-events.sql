SELECT body, hashes, source, test, received_at FROM events
WHERE received_at >= :from AND received_at < :to ORDER BY received_at, id LIMIT :limit
