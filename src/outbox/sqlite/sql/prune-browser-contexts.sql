DELETE FROM browser_contexts WHERE updated_at < :before
