-- Browser leg enrichment (docs/BROWSER.md): the context merged into what each join key already holds. jsonb `||`
-- is a top-level merge: newer values win, the nested consent is replaced whole (both its fields always come
-- together). Keys in order: two instances saving overlapping keys at once wait in one direction, never deadlock.
-- updated_at never moves back (instances' clocks differ by a little).
-- $1 join keys (distinct) | $2 context | $3 now
INSERT INTO browser_contexts AS cur (join_key, context, updated_at)
SELECT k.join_key, $2::jsonb, $3::bigint
FROM unnest($1::text[]) AS k (join_key)
ORDER BY k.join_key
ON CONFLICT (join_key) DO UPDATE SET
  context = cur.context || excluded.context,
  updated_at = greatest(cur.updated_at, excluded.updated_at)
