package io.keyledger.serviceaccount;

/**
 * Everything that can happen to a service account and its keys: one stream per account, so one
 * sealed family. {@link ServiceAccountDecider#evolve} gives each its meaning.
 */
public sealed interface ServiceAccountEvent extends DomainEvent
        permits ServiceAccountCreated, ServiceAccountUpdated, ServiceAccountDeleted, KeyEvent {

    String org();

    /** The service account whose stream holds the event. */
    String serviceAccount();

    /** When it happened: the {@code now} of the command that decided it. */
    java.time.Instant occurredAt();
}
