package io.keyledger.serviceaccount;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One key of a service account, as the fold of its events leaves it: everything its read-model row holds. A
 * revoked key stays in a folded state with its {@code revokedAt}, so the rows of a fold can be written from the
 * state alone; a state loaded for a command holds only unrevoked keys.
 *
 * @param pepperId the id of the pepper its hash was made with ({@link Peppers})
 * @param notices the expiry notices recorded, in order: warnings sent (by threshold text) and
 *                {@value ServiceAccount#EXPIRED} once the expiry is recorded
 * @param disabled the quarantine it is under, or null while it is enabled
 * @param scopes what it may do ({@link Scopes}), or null for everything its account may
 * @param allowedCidrs the addresses it may be used from, or null for any
 */
public record Key(String id, String description, String keyHash, String pepperId, Instant createdAt, long expiresAt,
        String createdBy, Instant revokedAt, String replacedBy, List<String> notices, Disabled disabled,
        List<String> scopes, List<String> allowedCidrs) {

    /** A quarantine: since when, why and by whom. */
    public record Disabled(Instant at, String reason, String by) {
    }

    public Key {
        notices = List.copyOf(notices);
        scopes = scopes == null ? null : List.copyOf(scopes);
        allowedCidrs = allowedCidrs == null ? null : List.copyOf(allowedCidrs);
    }

    public boolean isDisabled() {
        return disabled != null;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** True when a rotation replaced it (it may still work until its grace period ends). */
    public boolean rotated() {
        return replacedBy != null;
    }

    Key revokedAt(Instant at) {
        return new Key(id, description, keyHash, pepperId, createdAt, expiresAt, createdBy, at, replacedBy, notices,
                disabled, scopes, allowedCidrs);
    }

    Key replacedBy(String successor, long gracePeriodExpiresAt) {
        return new Key(id, description, keyHash, pepperId, createdAt, gracePeriodExpiresAt, createdBy, revokedAt,
                successor, notices, disabled, scopes, allowedCidrs);
    }

    /** The same key hashed again, under another pepper. */
    Key rehashed(String newHash, String newPepperId) {
        return new Key(id, description, newHash, newPepperId, createdAt, expiresAt, createdBy, revokedAt, replacedBy,
                notices, disabled, scopes, allowedCidrs);
    }

    /** The same key under a quarantine, or out of it ({@code null}). */
    Key disabledAs(Disabled quarantine) {
        return new Key(id, description, keyHash, pepperId, createdAt, expiresAt, createdBy, revokedAt, replacedBy,
                notices, quarantine, scopes, allowedCidrs);
    }

    Key withNotice(String notice) {
        if (notices.contains(notice)) {
            return this;
        }
        List<String> sent = new ArrayList<>(notices);
        sent.add(notice);
        return new Key(id, description, keyHash, pepperId, createdAt, expiresAt, createdBy, revokedAt, replacedBy, sent,
                disabled, scopes, allowedCidrs);
    }
}
