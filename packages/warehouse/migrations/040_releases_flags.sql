-- Which flags a release's rows were classified with, in bit order (a rate needing a flag the
-- release lacks was not defined when it was frozen, and is not answered of it), and how its
-- content hash is taken: 1 without flag_bits (releases made before it, whose hash was recorded
-- so), 2 with it.
ALTER TABLE releases ADD COLUMN IF NOT EXISTS flags Array(String) DEFAULT ['finished', 'paired', 'eligible', 'caseAtBaseline', 'reliableImprovement', 'reliableDeterioration', 'noReliableChange', 'recovery', 'reliableRecovery', 'response', 'remission', 'followedUp', 'relapsed'] COMMENT 'EPISODE_FLAGS when the release was frozen, in bit order',
    ADD COLUMN IF NOT EXISTS row_form UInt8 DEFAULT 1 COMMENT '1: rows hashed without flag_bits (before migration 037); 2: with them'
