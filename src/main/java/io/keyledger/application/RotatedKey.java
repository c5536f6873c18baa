package io.keyledger.application;

/** The result of a rotation: the new key (value shown once), the key it replaces, and when that one stops. */
public record RotatedKey(IssuedKey issued, String replacedKeyId, long gracePeriodExpiresAt) {
}
