-- The raw event log: every accepted event exactly as validated, stamped by the ingest.
-- Immutable: corrections arrive as event.retracted events, never as updates or deletes.
-- A retried insert of the same batch is dropped by the insert deduplication token (which needs
-- non_replicated_deduplication_window > 0 on a non-replicated table); reads still collapse
-- duplicate ids with LIMIT 1 BY id, so a duplicate that slips in is never counted twice.
CREATE TABLE IF NOT EXISTS events
(
    id UUID COMMENT 'Event id chosen by the source: the idempotency key',
    type LowCardinality(String) COMMENT 'Event type, e.g. phq9.recorded',
    schema_version UInt16 COMMENT 'Catalog schema version of the event',
    clinic_id LowCardinality(String) COMMENT 'Network-assigned clinic code',
    client_id String COMMENT 'Client pseudonym',
    episode_id String COMMENT 'Episode pseudonym; the sharding and folding key',
    occurred_on Date COMMENT 'Day the event happened (day precision, possibly source-shifted)',
    recorded_at DateTime64(3, 'UTC') COMMENT 'When the ingest accepted the event',
    source_id LowCardinality(String) COMMENT 'Source whose API key sent the event',
    payload String COMMENT 'The validated payload as JSON',
    INDEX id_bloom id TYPE bloom_filter(0.001) GRANULARITY 1
)
ENGINE = MergeTree
ORDER BY (episode_id, id)
SETTINGS non_replicated_deduplication_window = 10000
COMMENT 'Raw, immutable event log (event catalog v1)';
