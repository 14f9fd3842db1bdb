-- Breaches of history-dependent rules found while folding (EVENTS.md: they never reject an
-- event), one row per finding. A view over the episode snapshots rather than a table of its
-- own: the findings live in the episode row and are replaced with it, so a finding that no
-- longer holds (a late event arrived, an error was retracted) is gone at once, with no
-- tombstones and no reads before writes.
CREATE VIEW IF NOT EXISTS data_quality_findings
AS SELECT
    episode_id,
    clinic_id,
    finding.code AS code,
    finding.session_number AS session_number,
    finding.event_id AS event_id,
    finding.message AS message
FROM episodes FINAL
ARRAY JOIN findings AS finding;
