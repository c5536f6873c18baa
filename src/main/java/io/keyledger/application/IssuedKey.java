package io.keyledger.application;

import java.time.Instant;

/**
 * A freshly created key. The only object that ever holds the key value; it goes to the 201 and nowhere else.
 * {@code scopes} is null for a key with no scopes of its own.
 */
public record IssuedKey(String id, String key, String description, Instant createdAt, long expiresAt,
        java.util.List<String> scopes, java.util.List<String> allowedCidrs) {

    @Override
    public String toString() {
        // never let the value reach a log line by accident
        return "IssuedKey[id=" + id + ", key=<redacted>]";
    }
}
