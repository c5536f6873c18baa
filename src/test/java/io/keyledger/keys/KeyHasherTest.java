package io.keyledger.keys;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class KeyHasherTest {

    @Test
    void hash_isHmacSha256Hex_matchingAKnownVector() {
        // the value `printf kl_abc | openssl dgst -sha256 -hmac 0123456789abcdef` prints
        KeyHasher hasher = new KeyHasher("0123456789abcdef");
        assertEquals("d1bda5eaa67f6a6c7f4e5188351344ecfdb9a708d27e2ae5ae139c83a1412c47", hasher.hash("kl_abc"));
        assertEquals(hasher.hash("kl_abc"), hasher.hash("kl_abc"));
    }

    @Test
    void hash_dependsOnThePepper() {
        assertNotEquals(new KeyHasher("pepper-one-0123456").hash("kl_same"), new KeyHasher("pepper-two-0123456").hash("kl_same"));
    }

    @Test
    void shortPepper_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher("short"));
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher(null));
    }

    @Test
    void sameHash_comparesInConstantTimeAndCorrectly() {
        assertTrue(KeyHasher.sameHash("abcd", "abcd"));
        assertFalse(KeyHasher.sameHash("abcd", "abce"));
        assertFalse(KeyHasher.sameHash("abcd", "abc"));
    }
}
