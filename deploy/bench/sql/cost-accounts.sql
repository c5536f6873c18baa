-- Cost curves (deploy/bench/run): service accounts that each already hold :per active keys, written straight into
-- the read model the create decision reads (service_accounts, api_keys), shaped as Projector writes them. Seeding
-- a million keys through the API would take longer than the whole run. The seeded keys are written to the read model
-- only (a rebuild drops them, as it drops the big key set: they are not in the log). The create decision reads the
-- locked row's count of unrevoked keys (V11), so it is set here too; otherwise every level would measure the same thing.
-- Each account's stream opens with its ServiceAccountCreated event (hash NULL, as for events from before the ledger
-- chain), so its first create appends stream version 2 and a rebuild from the log (the rebuild phase) finds the
-- account of every key created on it; without that event the rebuild's foreign key refused those keys.
-- psql variables: prefix (e.g. bench-c50-), accounts, per (keys per account).
INSERT INTO service_accounts (org, name, description, privilege, created_at, created_by, stream_version)
SELECT 'bench', :'prefix' || lpad(a::text, 5, '0'), 'bench cost curve', 'admin', now(), 'bench-admin', 1
  FROM generate_series(0, :accounts - 1) AS a;

INSERT INTO api_keys (id, org, service_account, description, key_hash, created_at, expires_at, created_by)
SELECT gen_random_uuid()::text, 'bench', :'prefix' || lpad((i / greatest(:per, 1))::text, 5, '0'), 'bench',
       encode(sha256((:'prefix' || i)::bytea), 'hex'), now() - (i % 1000) * interval '1 second', 0, 'bench-admin'
  FROM generate_series(0, :accounts * :per - 1) AS i;

UPDATE service_accounts AS s SET unrevoked_keys = k.n
  FROM (SELECT service_account, count(*) AS n FROM api_keys
         WHERE org = 'bench' AND service_account LIKE :'prefix' || '%' GROUP BY service_account) AS k
 WHERE s.org = 'bench' AND s.name = k.service_account;

INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
SELECT gen_random_uuid(), 'service-account:bench:' || :'prefix' || lpad(a::text, 5, '0'), 1, 'ServiceAccountCreated', 1,
       jsonb_build_object('org', 'bench', 'name', :'prefix' || lpad(a::text, 5, '0'), 'description', 'bench cost curve',
                          'privilege', 'admin', 'created_at', '2026-01-01T00:00:00.000000Z', 'created_by', 'bench-admin'),
       jsonb_build_object('actor', jsonb_build_object('type', 'user', 'subject', 'bench-admin'), 'request_id', gen_random_uuid()::text)
  FROM generate_series(0, :accounts - 1) AS a;
