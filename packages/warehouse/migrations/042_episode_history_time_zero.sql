-- As 041, for the history of projections: same columns in the same order as episodes
-- (release_episodes copies them by position).
ALTER TABLE episode_history ADD COLUMN IF NOT EXISTS problem_area_at_landmark LowCardinality(String) DEFAULT '' COMMENT 'Primary problem area as known at session 3 (the last marked primary at a session up to 3; unspecified when none was)',
    ADD COLUMN IF NOT EXISTS medication_started_session Nullable(UInt16) COMMENT 'Session at which medication started during treatment; null when none did (none, or ongoing at intake)'
