-- The clinic a refused event was for, when the key may write it (else ''), so a clinic's readers
-- see their own refusals and nobody else's.
ALTER TABLE rejections ADD COLUMN IF NOT EXISTS clinic_id LowCardinality(String) DEFAULT '' COMMENT 'Clinic of the refused event when the key may write it, else empty';
