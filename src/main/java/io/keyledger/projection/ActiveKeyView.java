package io.keyledger.projection;

import java.time.Instant;

/**
 * An active key as readers see it. {@code lastUsedAt} is null until the key is used; {@code disabledAt} and
 * {@code disabledReason} are null unless it is disabled (quarantined) now.
 */
public record ActiveKeyView(String id, String description, Instant createdAt, long expiresAt, Instant lastUsedAt,
        Instant disabledAt, String disabledReason, java.util.List<String> scopes, java.util.List<String> allowedCidrs) {
}
