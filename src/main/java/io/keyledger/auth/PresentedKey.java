package io.keyledger.auth;

/**
 * A key as a client presented it, checked for form and hashed under the current pepper once per request, then
 * carried through authentication and verification so no step hashes it again. The value is held only for the older
 * peppers' fallback and never printed.
 */
public final class PresentedKey {

    private final String value;
    private final boolean wellFormed;
    /** The HMAC under the current pepper; null when the value is not well formed (it is then never looked up). */
    private final String hash;

    PresentedKey(String value, boolean wellFormed, String hash) {
        this.value = value;
        this.wellFormed = wellFormed;
        this.hash = hash;
    }

    /** True when the value has our key's length, alphabet and checksum: it could be a real key. */
    public boolean wellFormed() {
        return wellFormed;
    }

    String hash() {
        return hash;
    }

    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "PresentedKey[<redacted>]";
    }
}
