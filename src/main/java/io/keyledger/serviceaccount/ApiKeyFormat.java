package io.keyledger.serviceaccount;

import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32;

/**
 * The shape of an API key: {@code <prefix>_<30 random base62 chars><6 base62 chars of CRC32>}.
 *
 * <p>Like GitHub's {@code ghp_} tokens: the prefix makes a leaked key easy to recognise by
 * secret scanners, 30 base62 characters carry ~178 bits from SecureRandom, and the checksum
 * lets anyone reject a mistyped or made-up key offline, without a database lookup.
 */
public final class ApiKeyFormat {

    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final int RANDOM_LENGTH = 30;
    static final int CHECKSUM_LENGTH = 6;

    private final String prefix;
    private final RandomGenerator random;

    /** {@code random} must be a cryptographically strong generator (SecureRandom) outside tests. */
    public ApiKeyFormat(String prefix, RandomGenerator random) {
        if (prefix == null || !prefix.matches("[a-z][a-z0-9]{1,9}")) {
            throw new IllegalArgumentException(
                    "key prefix must be 2-10 lowercase letters or digits, starting with a letter");
        }
        this.prefix = prefix;
        this.random = random;
    }

    public String prefix() {
        return prefix;
    }

    /**
     * The regular expression a secret scanner (a GitHub custom pattern, push protection, an internal scanner) finds
     * this service's keys with: the prefix, an underscore and the 36 base62 characters of the body and checksum. A
     * regular expression cannot compute a CRC32, so a value with a wrong checksum matches too; {@link #isWellFormed}
     * (and the partner-format endpoint, which checks it before any lookup) tells it apart. docs/security.md.
     */
    public String secretScanningPattern() {
        return prefix + "_[0-9A-Za-z]{" + (RANDOM_LENGTH + CHECKSUM_LENGTH) + "}";
    }

    /** A fresh key value. It must be shown once and then only its hash kept. */
    public String newKey() {
        StringBuilder body = new StringBuilder(RANDOM_LENGTH + CHECKSUM_LENGTH);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            body.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        body.append(checksum(body));
        return prefix + "_" + body;
    }

    /** True when the value has this service's prefix, the right length and alphabet, and a matching checksum. */
    public boolean isWellFormed(String candidate) {
        return body(candidate).isPresent();
    }

    private Optional<String> body(String candidate) {
        if (candidate == null || candidate.length() != prefix.length() + 1 + RANDOM_LENGTH + CHECKSUM_LENGTH
                || !candidate.startsWith(prefix + "_")) {
            return Optional.empty();
        }
        String body = candidate.substring(prefix.length() + 1);
        for (int i = 0; i < body.length(); i++) {
            if (ALPHABET.indexOf(body.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        String random = body.substring(0, RANDOM_LENGTH);
        String given = body.substring(RANDOM_LENGTH);
        return checksum(random).equals(given) ? Optional.of(body) : Optional.empty();
    }

    static String checksum(CharSequence randomPart) {
        CRC32 crc = new CRC32();
        for (int i = 0; i < randomPart.length(); i++) {
            crc.update(randomPart.charAt(i));
        }
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(out);
    }
}
