-- Used for the issue 14 cost figures (README, "Reading only what a decision needs" and "Rebuilding the read models"):
--   psql -d <db> -v prefix=r- -v accounts=10000 -v keys=84 -v revokes=15 -f deploy/bench/sql/generate-events.sql   (1,000,000 events)
-- on a database the service has migrated; then POST /keyledger/projections/rebuild on the management port.
-- :prefix (name prefix), :accounts, :keys (KeyCreated per account), :revokes (first N keys revoked per account)
-- Events shaped as EventCodec writes them (current schema versions), interleaved across accounts,
-- each stream's versions in position order. One transaction.
\set ON_ERROR_STOP 1
BEGIN;
CREATE TEMP TABLE gen_accounts AS
SELECT a, :'prefix' || lpad(a::text, 5, '0') AS name, random() AS frac FROM generate_series(0, :accounts - 1) AS a;
CREATE TEMP TABLE gen AS
SELECT ga.name, v,
       CASE WHEN v = 1 THEN 'ServiceAccountCreated'
            WHEN v <= 1 + :keys THEN 'KeyCreated'
            ELSE 'KeyRevoked' END AS type,
       -- key number for KeyCreated (v - 2) and KeyRevoked (v - 2 - keys)
       CASE WHEN v <= 1 + :keys THEN v - 2 ELSE v - 2 - :keys END AS k,
       v + ga.frac * 10 AS sort
  FROM gen_accounts ga, generate_series(1, 1 + :keys + :revokes) AS v;
INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at)
SELECT gen_random_uuid(), 'service-account:bench:' || name, v, type,
       CASE WHEN type = 'KeyRevoked' THEN 2 ELSE 1 END,
       CASE type
         WHEN 'ServiceAccountCreated' THEN jsonb_build_object('org', 'bench', 'name', name, 'description', 'generated',
              'privilege', 'member', 'created_at', '2026-11-24T12:00:00.123456Z', 'created_by', 'bench-admin')
         WHEN 'KeyCreated' THEN jsonb_build_object('id', md5(name || ':' || k)::uuid::text, 'org', 'bench',
              'service_account', name, 'description', 'bench', 'key_hash', md5(name || ':' || k) || md5(k || ':' || name),
              'created_at', '2026-11-24T12:00:01.123456Z', 'expires_at', 0, 'created_by', 'bench-admin')
         ELSE jsonb_build_object('id', md5(name || ':' || k)::uuid::text, 'org', 'bench', 'service_account', name,
              'revoked_at', '2026-11-24T12:00:02.123456Z', 'revoked_by', 'bench-admin', 'reason', 'revoked')
       END,
       '{"actor":{"type":"user","subject":"bench-admin"},"request_id":"generated"}'::jsonb,
       '2026-11-24T12:00:00Z'::timestamptz
  FROM gen ORDER BY sort;
COMMIT;
ANALYZE events;
SELECT count(*) AS events FROM events;
