-- What a leak report does to a key of the org (OrgKeyPolicyChanged.on_leak): 'revoke' (the default, and what every
-- policy set before this column did) or 'disable'.
ALTER TABLE org_key_policies ADD COLUMN on_leak TEXT NOT NULL DEFAULT 'revoke'
    CHECK (on_leak IN ('revoke', 'disable'));
