package io.keyledger.serviceaccount;

import java.time.Instant;

/** A service account's description and/or privilege changed; a null field is unchanged. */
public record ServiceAccountUpdated(String org, String name, String description, Privilege privilege, Instant updatedAt,
        String updatedBy) implements ServiceAccountEvent {

    @Override
    public String serviceAccount() {
        return name;
    }

    @Override
    public Instant occurredAt() {
        return updatedAt;
    }
}
