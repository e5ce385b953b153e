-- $1 join keys | $2 since (unix ms)
SELECT join_key, context, updated_at FROM browser_contexts
WHERE join_key = ANY ($1::text[]) AND updated_at >= $2::bigint
