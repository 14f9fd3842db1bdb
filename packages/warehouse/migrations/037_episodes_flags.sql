-- Flags stored generically (packages/protocol/src/measures/flags.ts): one 64-bit column holds the
-- flags an episode has, bit i for EPISODE_FLAGS[i] (a list that only grows at its end), so a new
-- flag needs no column and no migration. Rows written before read the thirteen flags of that
-- time from the columns that held them (the DEFAULT). The fold version becomes a 32-bit
-- fingerprint of the flag list (definitions-version.ts); the projector folds every episode again
-- under it, which writes the column.
ALTER TABLE episodes ADD COLUMN IF NOT EXISTS flag_bits UInt64 DEFAULT toUInt64(finished_course = 1) * 1 + toUInt64(paired = 1) * 2 + toUInt64(outcome_eligible = 1) * 4 + toUInt64(coalesce(baseline_total, 0) >= 10) * 8 + toUInt64(reliable_improvement = 1) * 16 + toUInt64(reliable_deterioration = 1) * 32 + toUInt64(no_reliable_change = 1) * 64 + toUInt64(coalesce(recovery, 0) = 1) * 128 + toUInt64(coalesce(reliable_recovery, 0) = 1) * 256 + toUInt64(coalesce(response, 0) = 1) * 512 + toUInt64(coalesce(remission, 0) = 1) * 1024 + toUInt64(coalesce(followed_up, 0) = 1) * 2048 + toUInt64(coalesce(relapsed, 0) = 1) * 4096 COMMENT 'The flags of @ipt/protocol the episode has: bit i is EPISODE_FLAGS[i]',
    MODIFY COLUMN fold_version UInt32 DEFAULT 0
