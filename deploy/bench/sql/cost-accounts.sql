-- Cost curves (deploy/bench/run): service accounts that each already hold :per active keys, written straight into
-- the read model the create decision reads (service_accounts, api_keys), shaped as Projector writes them. Seeding
-- a million keys through the API would take longer than the whole run. Only the read model is written: the
-- accounts have no events, so their first create appends stream version 2 (the chain starts there, as for events
-- recorded before the ledger). The create decision reads the locked row's count of unrevoked keys (V11), so it is
-- set here too; otherwise every level would measure the same thing.
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
