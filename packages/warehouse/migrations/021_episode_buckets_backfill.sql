-- Every episode already stored gets its month: that of its earliest event.
INSERT INTO episode_buckets
SELECT episode_id, toStartOfMonth(min(occurred_on)) AS bucket
FROM events
GROUP BY episode_id
