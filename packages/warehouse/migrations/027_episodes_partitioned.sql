-- The partitioned table becomes `episodes`, atomically.
EXCHANGE TABLES episodes AND episodes_by_month
