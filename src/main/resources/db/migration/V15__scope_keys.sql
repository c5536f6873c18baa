-- What a key may do, narrower than its account (KeyCreated's scopes): null for everything its account may, as
-- every key issued before scopes existed. Rebuild tables are made LIKE this one.
ALTER TABLE api_keys ADD COLUMN scopes TEXT[];
