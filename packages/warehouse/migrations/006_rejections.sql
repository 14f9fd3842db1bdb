-- Events refused at the door, for the data-quality page: which field and why, never the value
-- (the message names the rule, not the input). Kept 90 days.
CREATE TABLE IF NOT EXISTS rejections
(
    received_at DateTime64(3, 'UTC') COMMENT 'When the ingest refused the event',
    source_id LowCardinality(String) COMMENT 'Source whose API key sent it',
    path LowCardinality(String) COMMENT 'Field path of the first error, e.g. payload.items.3',
    message String COMMENT 'The rule that was broken (never the refused value)'
)
ENGINE = MergeTree
ORDER BY received_at
TTL toDateTime(received_at) + INTERVAL 90 DAY
COMMENT 'Refused events by reason, without their content';
