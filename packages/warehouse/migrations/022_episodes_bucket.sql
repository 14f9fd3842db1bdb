-- The month the episode is filed under (episode_buckets), carried in every copy of its row so
-- the copies keep the columns of episodes.
ALTER TABLE episodes ADD COLUMN IF NOT EXISTS bucket Date DEFAULT '1970-01-01' COMMENT 'First day of the month the episode is filed under (episode_buckets)'
