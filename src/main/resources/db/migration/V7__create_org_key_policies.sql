-- Org key policies, projected from the 'org:<org>' streams (OrgKeyPolicyChanged).
CREATE TABLE org_key_policies (
    org               TEXT        PRIMARY KEY,
    max_lifetime_days INTEGER,
    updated_at        TIMESTAMPTZ NOT NULL,
    updated_by        TEXT        NOT NULL,
    stream_version    INTEGER     NOT NULL
);
