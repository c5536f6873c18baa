-- Which pepper each key's hash was made with (issue 21, item 3), so peppers can be rotated: a key found under an
-- older pepper is re-hashed under the current one (KeyRehashed). Every key stored so far was hashed under the
-- single pepper of earlier releases, whose id is p0. The default stays so that a replica of the previous release,
-- running beside this one during a rolling upgrade (with that same single pepper), still writes rows that are true.
ALTER TABLE api_keys ADD COLUMN pepper_id TEXT NOT NULL DEFAULT 'p0';

-- What the keys_by_pepper gauge counts: unrevoked keys by pepper.
CREATE INDEX api_keys_unrevoked_by_pepper ON api_keys (pepper_id, expires_at) WHERE revoked_at IS NULL;
