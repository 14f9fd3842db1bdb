-- What an episode row was folded from, so a row can stand for the episode as of a moment
-- (OUTCOMES.md, "As of and releases"): the latest recorded time of the events it folds, and its
-- PHQ-9 scores as the fold placed them (the rows of episode_scores, carried in the row so a
-- past or frozen row holds its own scores). Rows of an older fold version are folded again at
-- the projector's start, filling both.
ALTER TABLE episodes
    ADD COLUMN IF NOT EXISTS recorded_to DateTime64(3, 'UTC') DEFAULT 0 COMMENT 'Latest recorded_at of the events folded into this row',
    ADD COLUMN IF NOT EXISTS scores Array(Tuple(event_id String, session_number UInt8, timepoint LowCardinality(String), weeks_after_end Nullable(UInt8), total UInt8, severity LowCardinality(String), self_harm_flag UInt8, occurred_on Date)) DEFAULT [] COMMENT 'The PHQ-9 scores of the episode as folded: the same rows as episode_scores'
