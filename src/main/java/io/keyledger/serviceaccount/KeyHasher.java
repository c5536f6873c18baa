package io.keyledger.serviceaccount;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of a key value under a server-side pepper. Only this hash is ever stored, so a
 * copy of the database (or of the event log) is not enough to brute-force keys offline.
 */
public final class KeyHasher {

    private static final String ALGORITHM = "HmacSHA256";
    /** 32 characters: at least 128 bits even from a hex or base64 secret generator. */
    public static final int MIN_PEPPER_LENGTH = 32;

    private final SecretKeySpec pepper;

    public KeyHasher(String pepper) {
        String problem = pepperProblem(pepper);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.pepper = new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The one pepper policy: what is wrong with a pepper, or null when it may be used. */
    public static String pepperProblem(String pepper) {
        if (pepper == null || pepper.isBlank()) {
            return "the key hash pepper is required";
        }
        if (pepper.length() < MIN_PEPPER_LENGTH) {
            return "the key hash pepper must be at least " + MIN_PEPPER_LENGTH + " characters";
        }
        return null;
    }

    /** Lower-case hex of HMAC-SHA256(pepper, key). */
    public String hash(String keyValue) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(pepper);
            return HexFormat.of().formatHex(mac.doFinal(keyValue.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of two hex hashes. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
