-- "Get over 1,000,000 keys" (deploy/bench/run): tops the read model up to :total keys with accounts of 100 keys
-- (bench-big-00000 ...), shaped as Projector writes them. Nothing here is in the event log; only GETs read them.
-- psql variables: total.
SELECT greatest(:total - count(*), 0) AS missing FROM api_keys \gset
INSERT INTO service_accounts (org, name, description, privilege, created_at, created_by, stream_version)
SELECT 'bench', 'bench-big-' || lpad(a::text, 5, '0'), 'bench big key set', 'member', now(), 'bench-admin', 1
  FROM generate_series(0, (:missing + 99) / 100 - 1) AS a;
INSERT INTO api_keys (id, org, service_account, description, key_hash, created_at, expires_at, created_by)
SELECT gen_random_uuid()::text, 'bench', 'bench-big-' || lpad((i / 100)::text, 5, '0'), 'bench',
       encode(sha256(('bench-big-' || i)::bytea), 'hex'), now(), 0, 'bench-admin'
  FROM generate_series(0, :missing - 1) AS i;
UPDATE service_accounts SET unrevoked_keys = 100 WHERE org = 'bench' AND name LIKE 'bench-big-%';
ANALYZE service_accounts;
ANALYZE api_keys;
