-- Ledger verifications run as jobs (issue 20 section 5): one row per verification, so any replica can answer
-- its progress and result. Its progress is written by the replica running it; a heartbeat that stops means the
-- replica is gone and the next start or read marks the job failed.
CREATE TABLE ledger_verifications (
    id                  UUID PRIMARY KEY,
    state               TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
    requested_by        TEXT NOT NULL,
    started_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at         TIMESTAMPTZ,
    events_checked      BIGINT NOT NULL DEFAULT 0,
    events_total        BIGINT,
    valid               BOOLEAN,
    checkpoints_checked BIGINT,
    break_position      BIGINT,
    break_stream_id     TEXT,
    break_reason        TEXT,
    error               TEXT
);
-- One verification runs at a time across replicas: a second running row is a unique violation.
CREATE UNIQUE INDEX ledger_verifications_one_running ON ledger_verifications (state) WHERE state = 'running';
