SELECT join_key, context, updated_at FROM browser_contexts
WHERE join_key IN (SELECT value FROM json_each(:keys)) AND updated_at >= :since
