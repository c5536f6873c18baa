package io.keyledger.accounts;

import io.keyledger.events.DomainEvent;

/** Events of a service account's own life, in the service account's stream. */
public sealed interface AccountEvent extends DomainEvent permits ServiceAccountCreated, ServiceAccountUpdated, ServiceAccountDeleted {
}
