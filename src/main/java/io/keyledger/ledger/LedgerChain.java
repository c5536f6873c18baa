package io.keyledger.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The ledger's chain arithmetic, shared by the service and the standalone verifier:
 * {@code hash = SHA-256(prev_hash ‖ entry)}, lower-case hex, where {@code prev_hash} is the ASCII hex
 * of the previous event's hash in the stream (64 zeros for the first) and {@code entry} is the
 * event's ledger entry: RFC 8785 (JCS) UTF-8 JSON (README, "For auditors").
 */
public final class LedgerChain {

    public static final String GENESIS = "0".repeat(64);

    private LedgerChain() {
    }

    public static String hash(String prevHash, byte[] entry) {
        MessageDigest sha256 = sha256();
        sha256.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        sha256.update(entry);
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** RFC 8785 canonical UTF-8 bytes of a JSON text. */
    public static byte[] canonicalize(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException e) {
            throw new IllegalArgumentException("not canonicalizable JSON: " + e.getMessage(), e);
        }
    }

    /** Lower-case hex SHA-256 of a string's UTF-8 bytes: the key hash commitment and the Merkle nodes. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
