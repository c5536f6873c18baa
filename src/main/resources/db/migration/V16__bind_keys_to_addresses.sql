-- The addresses a key may be used from (KeyCreated's allowed_cidrs, normalized CIDRs): null for any, as every key
-- issued before allow-lists existed. Rebuild tables are made LIKE this one.
ALTER TABLE api_keys ADD COLUMN allowed_cidrs TEXT[];
