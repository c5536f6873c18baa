-- Seeds the scratch schema for the pgbench ceilings. deploy/bench/run first creates schema
-- bench_shape and runs keyledger's own Flyway migrations (src/main/resources/db/migration) in it
-- with search_path = bench_shape, so the tables, indexes and triggers are exactly the service's;
-- keyledger's tables in schema public are never touched.
-- psql variables: accounts (service accounts), keys (keys for the SELECT ceiling).

-- the same service accounts the service has: bench-sa-00000 ..
INSERT INTO service_accounts (org, name, description, privilege, created_at, created_by, stream_version)
SELECT 'bench', 'bench-sa-' || lpad(i::text, 5, '0'), '', 'admin', now(), 'bench-admin', 1
  FROM generate_series(0, :accounts - 1) AS i;

-- keys the SELECT ceiling reads: key i has id md5('bench-key-' || i) as a UUID (like the service's
-- random UUIDs) and belongs to service account i % accounts
INSERT INTO api_keys (id, org, service_account, description, key_hash, created_at, expires_at, created_by)
SELECT md5('bench-key-' || i)::uuid::text, 'bench', 'bench-sa-' || lpad((i % :accounts)::text, 5, '0'),
       'bench', encode(sha256(('bench-key-' || i)::bytea), 'hex'), now(), 0, 'bench-admin'
  FROM generate_series(1, :keys) AS i;

UPDATE service_accounts s
   SET stream_version = 1 + (SELECT count(*) FROM api_keys k WHERE k.org = s.org AND k.service_account = s.name);

-- only the scratch tables: a database-wide ANALYZE would also freeze the statistics of keyledger's own tables in
-- schema public at that moment (key_usage empty), and the service's cached plans would then scan key_usage whole
-- on every GET once the keys start being used
ANALYZE service_accounts, api_keys;
