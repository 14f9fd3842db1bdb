-- Messages the projector could not project, with the reason. Nothing is dropped silently: what
-- cannot be folded lands here and shows on the data-quality page.
CREATE TABLE IF NOT EXISTS dead_letters
(
    received_at DateTime64(3, 'UTC') COMMENT 'When the message was dead-lettered',
    origin LowCardinality(String) COMMENT 'Where it failed: projector, kafka',
    episode_id String COMMENT 'Episode pseudonym, when known',
    event_id String COMMENT 'Event id, when known',
    reason String COMMENT 'Why it could not be projected',
    payload String COMMENT 'The message as received'
)
ENGINE = MergeTree
ORDER BY received_at
COMMENT 'Unprojectable messages with their reason';
