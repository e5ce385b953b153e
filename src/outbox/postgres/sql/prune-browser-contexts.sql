-- Contexts no order webhook came for within BROWSER_CONTEXT_RETENTION_MS. One bounded batch per call; SKIP LOCKED:
-- instances pruning at once split the work, and a context being saved right now is left alone.
-- $1 cutoff | $2 batch size
WITH gone AS (
  DELETE FROM browser_contexts WHERE join_key IN (
    SELECT join_key FROM browser_contexts
    WHERE updated_at < $1::bigint
    ORDER BY updated_at
    LIMIT $2::int
    FOR UPDATE SKIP LOCKED
  )
  RETURNING 1
)
SELECT count(*)::int AS n FROM gone
