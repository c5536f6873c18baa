-- Keep revoked keys in the read model, marked, so verification can tell REVOKED from NOT_FOUND
-- and usage for a revoked key is recognised and skipped.
ALTER TABLE api_keys ADD COLUMN revoked_at TIMESTAMPTZ;

DROP INDEX api_keys_by_account;
CREATE INDEX api_keys_active_by_account ON api_keys (org, service_account, created_at DESC) WHERE revoked_at IS NULL;
