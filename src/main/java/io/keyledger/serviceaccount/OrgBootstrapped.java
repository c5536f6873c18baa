package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * An org got its first admin through the one-time bootstrap token: the admin service account and its first key
 * ({@code keyId}), in the request {@code requestId}. It is the only event of stream {@code bootstrap:<org>}, appended
 * at expected version 0 in the same transaction as the account and its key, so an org is bootstrapped at most once,
 * by any replica, ever. It holds neither the token nor the key. It changes no read model.
 */
public record OrgBootstrapped(String org, String serviceAccount, String keyId, String requestId, Instant bootstrappedAt,
        String bootstrappedBy) implements DomainEvent {

    /** The actor name of a bootstrap: in this event and in the account's and key's events. */
    public static final String ACTOR = "bootstrap";

    /** The stream an org's bootstrap is recorded in; its one event is version 1. */
    public static String stream(String org) {
        return "bootstrap:" + org;
    }

    @Override
    public Instant occurredAt() {
        return bootstrappedAt;
    }
}
