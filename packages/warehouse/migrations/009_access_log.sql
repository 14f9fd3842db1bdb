-- Every read and export, by whom, of what, with what result: never the numbers themselves.
CREATE TABLE IF NOT EXISTS access_log
(
    at DateTime64(3, 'UTC') COMMENT 'When the read finished',
    principal String COMMENT 'Name of the read key or signed-in user',
    role LowCardinality(String) COMMENT 'steward, clinic or researcher',
    via LowCardinality(String) COMMENT 'How it signed in: key, session or oidc',
    surface LowCardinality(String) COMMENT 'rest, csv or trpc',
    procedure LowCardinality(String) COMMENT 'Endpoint or procedure, e.g. outcomes.compare',
    filters String COMMENT 'The question as JSON: filters and grouping, never results',
    cells_released UInt32 COMMENT 'Cells with numbers in the answer',
    cells_withheld UInt32 COMMENT 'Cells withheld by disclosure control',
    status UInt16 COMMENT 'HTTP status of the answer',
    duration_ms UInt32 COMMENT 'Time to answer'
)
ENGINE = MergeTree
ORDER BY (at, principal)
COMMENT 'Access log: every read and export';
