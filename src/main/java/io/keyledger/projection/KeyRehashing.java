package io.keyledger.projection;

import io.smallrye.mutiny.Uni;

/**
 * Records that a key found under an older pepper is now hashed under the current one. Verification (in auth) asks
 * for it; the command path (in application, which auth may not reach) does it, as a {@code KeyRehashed} event that
 * the read model follows like every other.
 */
public interface KeyRehashing {

    /** Completes when the re-hash is committed, or was not needed (the key changed meanwhile: revoked, or done). */
    Uni<Void> rehash(VerifiedKey key, String newKeyHash, String toPepperId);
}
