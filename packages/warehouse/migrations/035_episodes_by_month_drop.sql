-- The table partitioned by month, swapped out by the previous migration, is no longer read.
DROP TABLE IF EXISTS episodes_by_quarter
