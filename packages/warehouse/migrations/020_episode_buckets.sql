-- The month each episode is filed under in `episodes` (its partition), fixed the first time the
-- episode is projected: the month of the earliest event it then has (the day it happened, so a
-- bulk import of past years spreads over their months). It never changes, even when an event
-- of an earlier day arrives later, because ReplacingMergeTree replaces a row only within its
-- partition: an episode filed under two months would be counted twice. The projector reads it
-- here before writing an episode, and writes it here first.
CREATE TABLE IF NOT EXISTS episode_buckets
(
    episode_id String COMMENT 'Episode pseudonym',
    bucket Date COMMENT 'First day of the month the episode is filed under (partition of episodes)'
)
ENGINE = ReplacingMergeTree
ORDER BY episode_id
COMMENT 'The fixed month of each episode, for the partitions of episodes'
