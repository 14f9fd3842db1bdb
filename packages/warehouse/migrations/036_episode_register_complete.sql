-- From this version on, an episode is registered in episode_buckets before its first event is
-- stored, so a write can tell a new episode from the register alone (episode-registry.ts).
-- Episodes whose events an earlier version stored but never projected (a crash between the
-- two) are registered here, under the month of their earliest event, as a projection would.
-- GLOBAL: on a cluster both tables are Distributed, and the register is read once.
INSERT INTO episode_buckets
SELECT episode_id, toStartOfMonth(min(occurred_on)) AS bucket
FROM events
WHERE episode_id GLOBAL NOT IN (SELECT episode_id FROM episode_buckets)
GROUP BY episode_id
