-- Frozen releases (OUTCOMES.md, "As of and releases"): a named, citable set of episode rows as of
-- a moment under one definitions version, with a content hash of those rows. Deleting writes a
-- newer version marked deleted; the rows go with it.
CREATE TABLE IF NOT EXISTS releases
(
    name String COMMENT 'The release name, as cited (release=<name>)',
    as_of DateTime64(3, 'UTC') COMMENT 'Events recorded up to this moment are in the release',
    definitions_version LowCardinality(String) COMMENT 'DEFINITIONS_VERSION of @ipt/protocol that folded the rows',
    content_hash String COMMENT 'SHA-256 over the sorted hashes of the release rows',
    episodes UInt64 COMMENT 'Episode rows frozen',
    created_by String COMMENT 'The steward who made it',
    created_at DateTime64(3, 'UTC') COMMENT 'When it was made',
    note String COMMENT 'Free text from the steward, e.g. the report it is for',
    deleted UInt8 COMMENT '1 once deleted',
    version UInt64 COMMENT 'Higher replaces lower'
)
ENGINE = ReplacingMergeTree(version)
ORDER BY name
COMMENT 'Frozen releases; read with FINAL'
