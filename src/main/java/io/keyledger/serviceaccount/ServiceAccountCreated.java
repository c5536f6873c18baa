package io.keyledger.serviceaccount;

import java.time.Instant;

public record ServiceAccountCreated(String org, String name, String description, Privilege privilege, Instant createdAt,
        String createdBy) implements ServiceAccountEvent {

    @Override
    public String serviceAccount() {
        return name;
    }

    @Override
    public Instant occurredAt() {
        return createdAt;
    }
}
