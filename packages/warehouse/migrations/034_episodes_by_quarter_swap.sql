-- The table partitioned by quarter becomes `episodes`, atomically.
EXCHANGE TABLES episodes AND episodes_by_quarter
