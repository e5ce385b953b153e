INSERT INTO browser_contexts (join_key, context, updated_at) VALUES (:join_key, :context, :updated_at)
ON CONFLICT (join_key) DO UPDATE SET context = json_patch(context, excluded.context), updated_at = excluded.updated_at
