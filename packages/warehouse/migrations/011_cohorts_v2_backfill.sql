-- Cohorts saved before ownership become shared network cohorts without an owner (a steward
-- may delete them).
INSERT INTO cohorts_v2 (owner, name, visibility, filters, saved_at, version, is_deleted) SELECT '', name, 'network', filters, saved_at, version, 0 FROM cohorts FINAL;
