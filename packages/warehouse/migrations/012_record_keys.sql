-- Each episode's secret record key for cell-key perturbation (OUTCOMES.md, "Disclosure
-- control"): HMAC of the episode pseudonym under the deployment's record-key secret, computed by
-- the projector (the secret never reaches the warehouse). 0 means "not keyed yet": rows projected
-- before this column existed, re-projected with a key at the next start.
ALTER TABLE episodes ADD COLUMN IF NOT EXISTS record_key UInt32 DEFAULT 0 COMMENT 'Secret record key in [1, 2^32) for cell-key perturbation; 0 until keyed';
