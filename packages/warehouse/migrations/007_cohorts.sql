-- Named cohorts researchers save from the dashboard: a name and the filter set that defines
-- it (the same filters as GET /v1/outcomes). Deleting writes a tombstone.
CREATE TABLE IF NOT EXISTS cohorts
(
    name String COMMENT 'The cohort name, unique',
    filters String COMMENT 'JSON of the OutcomeFilters that define the cohort',
    saved_at DateTime64(3, 'UTC') COMMENT 'When it was saved',
    version UInt64 COMMENT 'Higher replaces lower',
    is_deleted UInt8 COMMENT '1 when the cohort was deleted'
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY name
COMMENT 'Saved cohort definitions; read with FINAL';
