UPDATE deliveries SET late_completions = late_completions + 1 WHERE id = ANY($1::bigint[])
