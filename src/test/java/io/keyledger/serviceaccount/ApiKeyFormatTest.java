package io.keyledger.serviceaccount;

import static org.junit.jupiter.api.Assertions.*;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    private final ApiKeyFormat format = new ApiKeyFormat("kl", new SecureRandom());

    @Test
    void newKey_hasPrefixRandomPartAndChecksum() {
        String key = format.newKey();
        assertTrue(key.matches("kl_[0-9A-Za-z]{36}"), key);
        assertTrue(format.isWellFormed(key));
    }

    @Test
    void newKeys_carryAtLeast128BitsOfRandomness_andDoNotRepeat() {
        // 30 base62 characters = 30 * log2(62) ~ 178.6 bits
        assertTrue(ApiKeyFormat.RANDOM_LENGTH * Math.log(62) / Math.log(2) >= 128);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(format.newKey());
        }
        assertEquals(10_000, keys.size());
    }

    @Test
    void isWellFormed_rejectsEverySingleCharacterTypo() {
        String key = format.newKey();
        String alphabet = ApiKeyFormat.ALPHABET;
        int rejected = 0;
        int tried = 0;
        for (int i = 3; i < key.length(); i++) {
            char replacement = alphabet.charAt((alphabet.indexOf(key.charAt(i)) + 7) % alphabet.length());
            String typo = key.substring(0, i) + replacement + key.substring(i + 1);
            tried++;
            if (!format.isWellFormed(typo)) {
                rejected++;
            }
        }
        assertEquals(tried, rejected, "CRC32 catches every single-character change");
    }

    @Test
    void isWellFormed_rejectsWrongPrefixLengthAlphabetAndNull() {
        String key = format.newKey();
        assertFalse(format.isWellFormed(null));
        assertFalse(format.isWellFormed(""));
        assertFalse(format.isWellFormed("gh" + key.substring(2)));
        assertFalse(format.isWellFormed(key + "a"));
        assertFalse(format.isWellFormed(key.substring(0, key.length() - 1)));
        assertFalse(format.isWellFormed(key.substring(0, 10) + "-" + key.substring(11)));
        assertFalse(new ApiKeyFormat("other", new SecureRandom()).isWellFormed(key));
    }

    @Test
    void prefix_mustBeShortLowerCase() {
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("KL", new SecureRandom()));
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("k", new SecureRandom()));
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("kl_", new SecureRandom()));
    }
}
