-- The episode rows of each frozen release, copied from episode_history as of the release's
-- moment: a later definition or a late event never changes them. Same columns as episodes after
-- `release` (a test holds them equal).
CREATE TABLE IF NOT EXISTS release_episodes
ENGINE = MergeTree
ORDER BY (release, episode_id)
COMMENT 'Episode rows frozen in releases'
AS SELECT CAST('' AS String) AS release, * FROM episodes WHERE 0
