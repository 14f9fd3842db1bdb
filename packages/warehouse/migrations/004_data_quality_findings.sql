-- Breaches of history-dependent rules found while folding (EVENTS.md: they never reject an
-- event). Findings that no longer hold get a tombstone at the next projection.
CREATE TABLE IF NOT EXISTS data_quality_findings
(
    episode_id String COMMENT 'Episode pseudonym',
    code LowCardinality(String) COMMENT 'Finding code from @ipt/protocol FINDING_CODES',
    session_number Int16 COMMENT 'Session concerned, -1 when none',
    event_id String COMMENT 'Event concerned, empty when none',
    clinic_id LowCardinality(String) COMMENT 'Clinic code',
    message String COMMENT 'What is wrong, for the clinic data lead',
    version UInt64 COMMENT 'Projection version',
    is_deleted UInt8 COMMENT '1 when the finding no longer holds'
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (episode_id, code, session_number, event_id)
COMMENT 'Data-quality findings per episode; read with FINAL';
