-- Relay drain (deploy/bench/run): one chunk of the backlog appended while the broker is down, shaped as EventStore
-- writes a ServiceAccountCreated then KeyCreated events (the data as EventCodec encodes it, the metadata as the write path records it). INSERT only:
-- the append-only triggers stay on. position, recorded_at and transaction_id are the table's defaults, as for the
-- service; prev_hash and hash stay NULL (as for events recorded before the ledger chain), so no stream's chain is
-- touched. Each backlog stream (bench-backlog-NNNNN) gets 1,000 versions.
-- psql variables: lo, hi (event numbers, inclusive).
INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
SELECT gen_random_uuid(), 'service-account:bench:bench-backlog-' || lpad((i / 1000)::text, 5, '0'), i % 1000 + 1,
       CASE WHEN i % 1000 = 0 THEN 'ServiceAccountCreated' ELSE 'KeyCreated' END, 1,
       -- each stream opens with its account, so a rebuild from the log (the rebuild phase) finds every key's account
       CASE WHEN i % 1000 = 0 THEN
            jsonb_build_object('org', 'bench', 'name', 'bench-backlog-' || lpad((i / 1000)::text, 5, '0'),
                               'description', 'bench backlog', 'privilege', 'member',
                               'created_at', '2026-01-01T00:00:00.000000Z', 'created_by', 'bench-admin')
       ELSE
            jsonb_build_object('id', gen_random_uuid()::text, 'org', 'bench',
                               'key_hash', encode(sha256(('bench-backlog-' || i)::bytea), 'hex'),
                               'created_at', '2026-01-01T00:00:00.000000Z', 'created_by', 'bench-admin', 'expires_at', 0,
                               'description', 'bench backlog',
                               'service_account', 'bench-backlog-' || lpad((i / 1000)::text, 5, '0'))
       END,
       jsonb_build_object('actor', jsonb_build_object('type', 'user', 'subject', 'bench-admin'), 'request_id', gen_random_uuid()::text)
  FROM generate_series(:lo, :hi) AS i;
