-- Every PHQ-9 of every episode, one row per score event, for trajectories and follow-up. A
-- score retracted after projection gets a tombstone (is_deleted = 1) at the next projection.
CREATE TABLE IF NOT EXISTS episode_scores
(
    episode_id String COMMENT 'Episode pseudonym',
    event_id UUID COMMENT 'The phq9.recorded event',
    clinic_id LowCardinality(String) COMMENT 'Clinic code',
    session_number UInt8 COMMENT 'Session number (0 = intake)',
    timepoint LowCardinality(String) COMMENT 'intake, session, end or follow_up',
    weeks_after_end Nullable(UInt8) COMMENT 'Weeks after the episode ended, follow-up only',
    total UInt8 COMMENT 'PHQ-9 total computed from the items',
    severity LowCardinality(String) COMMENT 'Severity band of the total',
    self_harm_flag UInt8 COMMENT 'Item 9 above 0',
    occurred_on Date COMMENT 'Day of the score',
    version UInt64 COMMENT 'Projection version',
    is_deleted UInt8 COMMENT '1 when the score no longer belongs to the episode (retracted)'
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (episode_id, event_id)
COMMENT 'Per-session PHQ-9 scores; read with FINAL';
