-- Every projection an episode has had, one row per distinct recorded time of its events: the
-- fold of the events recorded up to that time, by the current definitions (re-folded when they
-- change). An as-of question reads, per episode, the row with the latest recorded_to not after
-- its moment, and of those the highest version: the sorting key is that order reversed, so the
-- read streams in key order instead of sorting ten rows per episode. Same columns as episodes
-- (a test holds them equal). A row folded under older definitions is deleted once the history
-- has been folded again.
CREATE TABLE IF NOT EXISTS episode_history
ENGINE = ReplacingMergeTree
ORDER BY (episode_id, recorded_to, version)
COMMENT 'Episode projections by recorded time, for as-of questions; latest version per key'
AS SELECT * FROM episodes WHERE 0
