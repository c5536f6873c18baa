package io.keyledger.serviceaccount;

import java.time.Instant;

/** Every event of the log: a service account's, an org's key policy, or a signed checkpoint of the ledger. */
public sealed interface DomainEvent permits ServiceAccountEvent, OrgKeyPolicyChanged, LedgerCheckpoint {

    /** When it happened: the {@code now} of the command that decided it. */
    Instant occurredAt();
}
