-- With generate-events.sql (revokes=0), writes the rows the projector would have written, so creates can be measured
-- at once on accounts holding :keys keys:  psql -d <db> -v prefix=c- -v accounts=4096 -v keys=99 -f deploy/bench/sql/generate-read-model.sql
-- read-model rows matching gen_events.sql for :prefix with :keys keys (no revokes): what the projector would write
\set ON_ERROR_STOP 1
BEGIN;
INSERT INTO service_accounts (org, name, description, privilege, created_at, created_by, stream_version, unrevoked_keys)
SELECT 'bench', :'prefix' || lpad(a::text, 5, '0'), 'generated', 'member', '2026-11-24T12:00:00.123456Z', 'bench-admin', 1 + :keys, :keys
  FROM generate_series(0, :accounts - 1) a;
INSERT INTO api_keys (id, org, service_account, description, key_hash, created_at, expires_at, created_by)
SELECT md5(n || ':' || k)::uuid::text, 'bench', n, 'bench', md5(n || ':' || k) || md5(k || ':' || n), '2026-11-24T12:00:01.123456Z', 0, 'bench-admin'
  FROM (SELECT :'prefix' || lpad(a::text, 5, '0') AS n FROM generate_series(0, :accounts - 1) a) s, generate_series(0, :keys - 1) k;
COMMIT;
