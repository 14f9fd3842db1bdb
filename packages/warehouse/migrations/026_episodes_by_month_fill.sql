-- The current row of every episode, filed under its month.
INSERT INTO episodes_by_month
SELECT e.* EXCEPT (bucket), b.bucket
FROM episodes AS e FINAL
INNER JOIN (SELECT episode_id, min(bucket) AS bucket FROM episode_buckets GROUP BY episode_id) AS b
    USING (episode_id)
