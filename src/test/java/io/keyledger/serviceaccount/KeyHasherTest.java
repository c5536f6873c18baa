package io.keyledger.serviceaccount;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class KeyHasherTest {

    @Test
    void hash_isHmacSha256Hex_matchingAKnownVector() {
        // the value `printf kl_abc | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef` prints
        KeyHasher hasher = new KeyHasher("0123456789abcdef0123456789abcdef");
        assertEquals("b69e8d61332f2aa987b4a53923c450bc86f656af57237b541e39e52fc2b72498", hasher.hash("kl_abc"));
        assertEquals(hasher.hash("kl_abc"), hasher.hash("kl_abc"));
    }

    @Test
    void hash_dependsOnThePepper() {
        assertNotEquals(new KeyHasher("pepper-one-0123456789abcdef0123456").hash("kl_same"),
                new KeyHasher("pepper-two-0123456789abcdef0123456").hash("kl_same"));
    }

    @Test
    void shortPepper_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher("short"));
        // the one policy: 32 characters at least, so 31 is refused and 32 accepted
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher("x".repeat(31)));
        assertDoesNotThrow(() -> new KeyHasher("x".repeat(32)));
        assertNotNull(KeyHasher.pepperProblem("0123456789abcdef"));
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher(null));
    }

    @Test
    void sameHash_comparesInConstantTimeAndCorrectly() {
        assertTrue(KeyHasher.sameHash("abcd", "abcd"));
        assertFalse(KeyHasher.sameHash("abcd", "abce"));
        assertFalse(KeyHasher.sameHash("abcd", "abc"));
    }
}
