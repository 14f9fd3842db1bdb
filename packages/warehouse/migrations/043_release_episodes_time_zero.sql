-- As 041, for frozen release rows. Rows frozen before keep the DEFAULT: those releases cannot
-- start a clock at the landmark (row_form 2 and below), and say so when asked.
ALTER TABLE release_episodes ADD COLUMN IF NOT EXISTS problem_area_at_landmark LowCardinality(String) DEFAULT '' COMMENT 'Primary problem area as known at session 3 (the last marked primary at a session up to 3; unspecified when none was)',
    ADD COLUMN IF NOT EXISTS medication_started_session Nullable(UInt16) COMMENT 'Session at which medication started during treatment; null when none did (none, or ongoing at intake)'
