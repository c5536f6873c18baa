package io.keyledger.serviceaccount;

import java.time.Instant;

/** Every event of the log: a service account's, or an org's key policy. */
public sealed interface DomainEvent permits ServiceAccountEvent, OrgKeyPolicyChanged {

    String org();

    /** When it happened: the {@code now} of the command that decided it. */
    Instant occurredAt();
}
