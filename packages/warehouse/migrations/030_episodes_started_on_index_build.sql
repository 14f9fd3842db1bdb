-- The index of the previous migration for the parts already stored (new parts get it as they
-- are written).
ALTER TABLE episodes MATERIALIZE INDEX started_on_range SETTINGS mutations_sync = 2
