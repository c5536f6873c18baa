package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * Every event of the log: a service account's, an org's key policy, a signed checkpoint of the ledger, or an operation
 * on the service (a projection rebuild), or an org's one-time bootstrap.
 */
public sealed interface DomainEvent
        permits ServiceAccountEvent, OrgKeyPolicyChanged, LedgerCheckpoint, ProjectionsRebuilt, OrgBootstrapped {

    /** When it happened: the {@code now} of the command that decided it. */
    Instant occurredAt();
}
