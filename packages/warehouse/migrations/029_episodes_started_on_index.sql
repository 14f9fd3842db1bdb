-- The range of start days in each granule of episodes, so a question about a period skips the
-- granules that started wholly outside it. Episodes are filed by the month of their earliest
-- event, which for nearly all is the month they started, so the granules of a month hold
-- nearly one month of start days. Reads with FINAL use it in ClickHouse's exact mode
-- (use_skip_indexes_if_final_exact_mode): a granule kept is read with every newer part that
-- overlaps it, so a newer version of an episode is never skipped while an older one is read.
ALTER TABLE episodes ADD INDEX IF NOT EXISTS started_on_range started_on TYPE minmax GRANULARITY 1
