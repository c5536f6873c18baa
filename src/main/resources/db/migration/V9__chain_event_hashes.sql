-- The tamper-evident chain: each event's hash covers the previous event's hash in its stream and the
-- event's canonical bytes (README, "For auditors"). Events recorded before the chain keep NULL; a stream's
-- chain starts at its first hashed event.
ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;
