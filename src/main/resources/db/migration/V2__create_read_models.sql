-- Read models, projected from events in the same transaction as the append,
-- and rebuildable from position 0. Nothing here is the source of truth.
CREATE TABLE service_accounts (
    org             TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    description     TEXT        NOT NULL,
    privilege       TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      TEXT        NOT NULL,
    -- stream version of the last event applied: the aggregate's snapshot version
    stream_version  INTEGER     NOT NULL,
    PRIMARY KEY (org, name)
);

-- Active (not revoked) keys. Expiry is a query-time filter, not a row change.
CREATE TABLE api_keys (
    id              TEXT        PRIMARY KEY,
    org             TEXT        NOT NULL,
    service_account TEXT        NOT NULL,
    description     TEXT        NOT NULL,
    key_hash        TEXT        NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      BIGINT      NOT NULL,
    created_by      TEXT        NOT NULL,
    FOREIGN KEY (org, service_account) REFERENCES service_accounts (org, name)
);

CREATE INDEX api_keys_by_account ON api_keys (org, service_account, created_at DESC);

-- Usage comes from the authentication-usage topic, not from events, so it lives
-- apart from the projection and survives a rebuild of it.
CREATE TABLE key_usage (
    key_id          TEXT        PRIMARY KEY,
    last_used_at    TIMESTAMPTZ NOT NULL
);

-- Where the Kafka relay has got to in the event log.
CREATE TABLE relay_checkpoints (
    name            TEXT        PRIMARY KEY,
    transaction_id  XID8        NOT NULL,
    position        BIGINT      NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
