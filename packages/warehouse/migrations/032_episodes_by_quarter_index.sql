-- The start-day index of migration 029 on the new table, before it is filled, so the fill
-- writes it.
ALTER TABLE episodes_by_quarter ADD INDEX IF NOT EXISTS started_on_range started_on TYPE minmax GRANULARITY 1
