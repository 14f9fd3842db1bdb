-- Cohorts now belong to a principal and are private or shared with the network; the name is
-- unique per owner. Replaces `cohorts` (kept, no longer written).
CREATE TABLE IF NOT EXISTS cohorts_v2
(
    owner String COMMENT 'Principal that saved it; empty for cohorts saved before ownership',
    name String COMMENT 'The cohort name, unique per owner',
    visibility LowCardinality(String) COMMENT 'private or network',
    filters String COMMENT 'JSON of the OutcomeFilters that define the cohort',
    saved_at DateTime64(3, 'UTC') COMMENT 'When it was saved',
    version UInt64 COMMENT 'Higher replaces lower',
    is_deleted UInt8 COMMENT '1 when the cohort was deleted'
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (owner, name)
COMMENT 'Saved cohort definitions with their owner; read with FINAL';
