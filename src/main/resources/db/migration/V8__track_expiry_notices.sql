-- Expiry warnings: which notices a key has had (its warning thresholds, 'expired'), and when the
-- scanner should next look at it. The partial index keeps each scan to the keys that are due.
ALTER TABLE api_keys ADD COLUMN expiry_notices TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE api_keys ADD COLUMN next_notice_at BIGINT;
CREATE INDEX api_keys_next_notice ON api_keys (next_notice_at)
    WHERE revoked_at IS NULL AND replaced_by IS NULL AND next_notice_at IS NOT NULL;
-- existing keys with an expiry get a look at once; the scanner then sets the real next time
UPDATE api_keys SET next_notice_at = 0 WHERE expires_at > 0 AND revoked_at IS NULL AND replaced_by IS NULL;
