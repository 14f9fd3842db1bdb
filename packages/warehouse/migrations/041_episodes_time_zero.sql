-- Time zero of time to improvement by a factor set after intake (docs/outcomes.md, "Time to
-- reliable improvement"): the primary problem area as known at session 3, the landmark, and
-- the session medication started during treatment, where an episode joins the group with
-- medication. The projector folds every episode again (fold revision 6), which writes them.
ALTER TABLE episodes ADD COLUMN IF NOT EXISTS problem_area_at_landmark LowCardinality(String) DEFAULT '' COMMENT 'Primary problem area as known at session 3 (the last marked primary at a session up to 3; unspecified when none was)',
    ADD COLUMN IF NOT EXISTS medication_started_session Nullable(UInt16) COMMENT 'Session at which medication started during treatment; null when none did (none, or ongoing at intake)'
