-- Dashboard overview: attempts per bucket, from the first attempt id of the window on (a rowid range, no scan of
-- older history). A permanent refusal is counted as `rejected` from the delivery row; the failed attempt that
-- made a row dead is counted as `dead` from the delivery row, not also as `retrying`.
SELECT CAST((a.at - :from) / :bucket_ms AS INTEGER) AS bucket, d.destination_id, d.platform,
       CASE WHEN a.outcome = 'delivered' THEN 'delivered' ELSE 'retrying' END AS outcome,
       count(*) AS n
FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
WHERE a.id >= :first_id AND a.at >= :from AND a.at < :to
  AND a.outcome <> 'permanent'
  AND NOT (d.status = 'dead' AND a.at = d.last_attempt_at)
GROUP BY bucket, d.destination_id, d.platform, outcome
