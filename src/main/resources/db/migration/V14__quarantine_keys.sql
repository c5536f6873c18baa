-- A key can be quarantined (KeyDisabled) and let back in (KeyEnabled): it stays active, listed and counted against the
-- cap, but every verification refuses it with DISABLED. Null while it is enabled. Rebuild tables are made LIKE these.
ALTER TABLE api_keys ADD COLUMN disabled_at TIMESTAMPTZ;
ALTER TABLE api_keys ADD COLUMN disabled_reason TEXT;
ALTER TABLE api_keys ADD COLUMN disabled_by TEXT;
