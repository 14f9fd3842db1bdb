-- The distinct cohorts each reader asked of protected numbers, per day (OUTCOMES.md, "Budget"):
-- one row per (day, reader, cohort), whatever the number of questions asked of it.
CREATE TABLE IF NOT EXISTS cohort_budget
(
    day Date COMMENT 'UTC day of the question',
    principal String COMMENT 'Name of the read key or signed-in user',
    cohort String COMMENT 'SHA-256 of the cohort in canonical form (its filters, never results)',
    filters String COMMENT 'The canonical filters as JSON, for the steward',
    first_at DateTime64(3, 'UTC') COMMENT 'When the reader first asked of it that day'
)
ENGINE = ReplacingMergeTree
ORDER BY (day, principal, cohort)
COMMENT 'Daily budget use of protected readers: distinct cohorts per reader per day';
