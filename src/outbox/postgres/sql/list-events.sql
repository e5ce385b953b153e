SELECT body, hashes, source, test, received_at FROM events
WHERE received_at >= $1::bigint AND received_at < $2::bigint ORDER BY received_at, id LIMIT $3::int
