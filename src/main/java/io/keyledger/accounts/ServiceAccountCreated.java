package io.keyledger.accounts;

import java.time.Instant;

public record ServiceAccountCreated(
        String org,
        String name,
        String description,
        Privilege privilege,
        Instant createdAt,
        String createdBy) implements AccountEvent {
}
