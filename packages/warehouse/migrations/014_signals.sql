-- Signals for care folded per episode by @ipt/protocol (OUTCOMES.md, "Time to reliable
-- improvement", "Relapse after the end"), and the fold version each row was written with: rows
-- of an older version (0: before this migration) are folded again from their events when the
-- projector starts (refoldOutdatedEpisodes), so new columns never read as silent defaults.
ALTER TABLE episodes
    ADD COLUMN IF NOT EXISTS fold_version UInt16 DEFAULT 0 COMMENT 'Version of the per-episode classification this row was folded with (FOLD_VERSION)',
    ADD COLUMN IF NOT EXISTS improvement_session Nullable(UInt16) COMMENT 'Time to reliable improvement: session of the event, competing end or censoring; null without a baseline',
    ADD COLUMN IF NOT EXISTS improvement_status LowCardinality(String) DEFAULT '' COMMENT 'event, competing or censored; empty without a baseline',
    ADD COLUMN IF NOT EXISTS followed_up Nullable(UInt8) COMMENT 'Recovered at the end and a follow-up PHQ-9 within 52 weeks; null unless recovered',
    ADD COLUMN IF NOT EXISTS relapsed Nullable(UInt8) COMMENT 'A follow-up total of 10 or more within 52 weeks; null unless followed up';
