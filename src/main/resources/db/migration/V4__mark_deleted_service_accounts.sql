-- A deleted service account stays in the read model, marked, so its stream version carries on
-- if the name is created again.
ALTER TABLE service_accounts ADD COLUMN deleted_at TIMESTAMPTZ;
