-- The episodes table partitioned by the month each episode is filed under. Reads use FINAL with
-- do_not_merge_across_partitions_select_final (correct because an episode's month never
-- changes), so FINAL's merging costs only in partitions that still hold several parts: the
-- months where episodes are being re-projected. Every other month is merged to one part by the
-- table's own force-merge of partitions whose parts are all older than a minute, and a
-- partition of one part is read as a plain table. Filled and swapped in by the next migrations.
CREATE TABLE IF NOT EXISTS episodes_by_month
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(bucket)
ORDER BY episode_id
SETTINGS min_age_to_force_merge_seconds = 60, min_age_to_force_merge_on_partition_only = 1
COMMENT 'Episode snapshots folded by @ipt/protocol, by month filed; read with FINAL'
AS SELECT * FROM episodes WHERE 0
