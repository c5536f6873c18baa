package io.keyledger.serviceaccount;

import java.time.Instant;

/** A service account was deleted; a KeyRevoked for each of its keys precedes this in the stream. */
public record ServiceAccountDeleted(String org, String name, Instant deletedAt,
        String deletedBy) implements ServiceAccountEvent {

    @Override
    public String serviceAccount() {
        return name;
    }

    @Override
    public Instant occurredAt() {
        return deletedAt;
    }
}
