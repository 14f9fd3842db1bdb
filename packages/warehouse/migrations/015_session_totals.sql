-- Each episode's in-treatment PHQ-9 total by session number, as @ipt/protocol's sessionTotals
-- reads it (index 1 = intake, session 0; -1 where no score was recorded), for expected recovery
-- curves and off-track episodes (OUTCOMES.md, "Expected recovery and off-track episodes"). Rows
-- of an older fold version are folded again at the projector's start, filling it.
ALTER TABLE episodes
    ADD COLUMN IF NOT EXISTS session_totals Array(Int16) DEFAULT [] COMMENT 'PHQ-9 total by session (index 1 = session 0), -1 without a score'
