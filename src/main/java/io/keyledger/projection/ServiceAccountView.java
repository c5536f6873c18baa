package io.keyledger.projection;

import java.time.Instant;

public record ServiceAccountView(String org, String name, String description, String privilege, Instant createdAt) {
}
