-- The GET query as keyledger runs it (ReadModel.FIND_ACTIVE_KEY): one key by primary key, LEFT
-- JOIN its usage, not revoked, not expired. Keep in step with that constant.
-- Runs with search_path = bench_shape (PGOPTIONS). Variables: accounts, keys (as seed.sql made them).
\set i random(1, :keys)
\set a :i % :accounts
SELECT k.id, k.description, k.created_at, k.expires_at, u.last_used_at FROM api_keys k LEFT JOIN key_usage u ON u.key_id = k.id WHERE k.id = md5('bench-key-' || :i)::uuid::text AND k.org = 'bench' AND k.service_account = 'bench-sa-' || lpad(:a::text, 5, '0') AND k.revoked_at IS NULL AND (k.expires_at = 0 OR k.expires_at > extract(epoch FROM now())::bigint);
