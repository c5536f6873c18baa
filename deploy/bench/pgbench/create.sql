-- The create transaction, statement for statement as keyledger runs it: ReadModel.LOCK_ACCOUNT_VERSION
-- and UNREVOKED_KEYS (lockKeyring), EventStore.INSERT (one event), Projector.INSERT_KEY (the
-- read-model row and the version bump in one statement). Keep in step with those constants.
-- Runs with search_path = bench_shape (PGOPTIONS). Variable: accounts.
-- No ':' may appear in a literal (pgbench would read a variable): \x3a and \u003a stand in for it.
\set n random(0, :accounts - 1)
BEGIN;
SELECT stream_version + 1 AS v, deleted_at IS NULL AS live FROM service_accounts WHERE org = 'bench' AND name = 'bench-sa-' || lpad(:n::text, 5, '0') FOR UPDATE \gset
SELECT id, expires_at, description FROM api_keys WHERE org = 'bench' AND service_account = 'bench-sa-' || lpad(:n::text, 5, '0') AND revoked_at IS NULL;
INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata) VALUES (gen_random_uuid(), E'service-account\x3abench\x3abench-sa-' || lpad(:n::text, 5, '0'), :v, 'KeyCreated', 1, '{"id": "491c28ed-78c7-463b-b766-53ed5e871a29", "org": "bench", "key_hash": "898333728d49e1a998a3dd542501a8a15a4e4c2366c72bc94c2bb8f48ef32fe0", "created_at": "2026-01-01T00\u003a00\u003a00.000000Z", "created_by": "bench-admin", "expires_at": 0, "description": "bench", "service_account": "bench-sa-00000"}', '{"actor": "bench-admin", "request_id": "668c34d1-ed03-4d34-a19a-3f1a3ce09302"}');
WITH inserted AS (INSERT INTO api_keys (id, org, service_account, description, key_hash, created_at, expires_at, created_by) VALUES (gen_random_uuid()::text, 'bench', 'bench-sa-' || lpad(:n::text, 5, '0'), 'bench', md5(random()::text) || md5(random()::text), now(), 0, 'bench-admin')) UPDATE service_accounts SET stream_version = :v WHERE org = 'bench' AND name = 'bench-sa-' || lpad(:n::text, 5, '0');
END;
