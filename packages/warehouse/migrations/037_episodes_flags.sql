-- Flags stored by name (packages/protocol/src/measures/flags.ts): one column holds the names of
-- the flags an episode has, so a new flag needs no column and no migration. Rows written before
-- read the thirteen flags of that time from the columns that held them (the DEFAULT). The fold
-- version becomes a 32-bit fingerprint of the flag set (definitions-version.ts).
-- The projector folds every episode again under the new version, which writes the column.
ALTER TABLE episodes ADD COLUMN IF NOT EXISTS flags Array(LowCardinality(String)) DEFAULT arrayFilter(f -> f != '', [if(finished_course = 1, 'finished', ''), if(paired = 1, 'paired', ''), if(outcome_eligible = 1, 'eligible', ''), if(coalesce(baseline_total, 0) >= 10, 'caseAtBaseline', ''), if(reliable_improvement = 1, 'reliableImprovement', ''), if(reliable_deterioration = 1, 'reliableDeterioration', ''), if(no_reliable_change = 1, 'noReliableChange', ''), if(coalesce(recovery, 0) = 1, 'recovery', ''), if(coalesce(reliable_recovery, 0) = 1, 'reliableRecovery', ''), if(coalesce(response, 0) = 1, 'response', ''), if(coalesce(remission, 0) = 1, 'remission', ''), if(coalesce(followed_up, 0) = 1, 'followedUp', ''), if(coalesce(relapsed, 0) = 1, 'relapsed', '')]) COMMENT 'Names of the flags of @ipt/protocol the episode has (EPISODE_FLAGS)',
    MODIFY COLUMN fold_version UInt32 DEFAULT 0
