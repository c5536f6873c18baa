package io.keyledger.projection;

import java.time.Instant;

/** An active key as readers see it. {@code lastUsedAt} is null until the key is used. */
public record ActiveKeyView(String id, String description, Instant createdAt, long expiresAt, Instant lastUsedAt) {
}
