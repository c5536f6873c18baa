package io.keyledger.serviceaccount;

/** An event about one key of a service account. */
public sealed interface KeyEvent extends ServiceAccountEvent permits KeyCreated, KeyRevoked, KeyRotated,
        KeyLeakReported, KeyExpiringSoon, KeyExpired, KeyRehashed, KeyDisabled, KeyEnabled {

    /** The key it is about. */
    String keyId();
}
