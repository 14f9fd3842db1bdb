-- The episodes table partitioned by the quarter of the month each episode is filed under,
-- instead of the month itself. Every insert writes one part per partition its rows fall in, and
-- a part costs the same few files however few rows it holds: a delivery that touches episodes
-- of two years (a backfill, a projector catching up) wrote 24 parts by month and writes 8 by
-- quarter, while a live delivery, whose episodes started in the last few months, touches one
-- or two partitions either way. Reads are unchanged: an episode's month never changes, so
-- neither does its quarter, and FINAL per partition stays exact. Filled and swapped in by the
-- next migrations.
CREATE TABLE IF NOT EXISTS episodes_by_quarter
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(toStartOfQuarter(bucket))
ORDER BY episode_id
SETTINGS min_age_to_force_merge_seconds = 60, min_age_to_force_merge_on_partition_only = 1
COMMENT 'Episode snapshots folded by @ipt/protocol, by quarter filed; read with FINAL'
AS SELECT * FROM episodes WHERE 0
