-- What deciding a create needs, in the locked account row: how many keys are not revoked (kept by the
-- projector in the append transaction), so a create below the cap reads that row and no key. At the cap
-- the decision reads the keys that lapse soonest, from the partial index (keys that never expire skip it).
ALTER TABLE service_accounts ADD COLUMN unrevoked_keys INTEGER NOT NULL DEFAULT 0;
UPDATE service_accounts s
   SET unrevoked_keys = (SELECT count(*) FROM api_keys k
                          WHERE k.org = s.org AND k.service_account = s.name AND k.revoked_at IS NULL);
CREATE INDEX api_keys_lapsing_by_account ON api_keys (org, service_account, expires_at)
    WHERE revoked_at IS NULL AND expires_at > 0;
