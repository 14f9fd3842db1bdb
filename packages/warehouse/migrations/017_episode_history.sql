-- Every projection an episode has had, one row per distinct recorded time of its events: the
-- fold of the events recorded up to that time, by the current definitions (re-folded when they
-- change). An as-of question reads, per episode, the row with the latest recorded_to not after
-- its moment. Same columns as episodes (a test holds them equal); a re-fold of the same prefix
-- replaces its row.
CREATE TABLE IF NOT EXISTS episode_history
ENGINE = ReplacingMergeTree(version)
ORDER BY (episode_id, recorded_to)
COMMENT 'Episode projections by recorded time, for as-of questions; latest version per key'
AS SELECT * FROM episodes WHERE 0
