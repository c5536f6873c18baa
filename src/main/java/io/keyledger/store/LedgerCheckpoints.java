package io.keyledger.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Merkle root a checkpoint signs, and the bytes it signs. Leaves, in stream-id order, are
 * {@code SHA-256(stream_id "\n" stream_version "\n" hash)}; a parent is {@code SHA-256(left ‖ right)}
 * over the hex of its children; an odd node is carried up as it is; no streams gives SHA-256 of
 * nothing. The signature is Ed25519 over {@code "keyledger-checkpoint:v1\n" position "\n" transactions "\n" root}.
 */
public final class LedgerCheckpoints {

    /** The latest hashed event of one stream. */
    public record Head(String streamId, int streamVersion, String hash) {
    }

    public static final String STREAM = "ledger";

    private LedgerCheckpoints() {
    }

    /** {@code heads} must be in stream-id order (the SQL that reads them orders them). */
    public static String merkleRoot(List<Head> heads) {
        List<String> level = new ArrayList<>(heads.size());
        for (Head head : heads) {
            level.add(sha256(head.streamId() + "\n" + head.streamVersion() + "\n" + head.hash()));
        }
        if (level.isEmpty()) {
            return sha256("");
        }
        while (level.size() > 1) {
            List<String> up = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                up.add(i + 1 < level.size() ? sha256(level.get(i) + level.get(i + 1)) : level.get(i));
            }
            level = up;
        }
        return level.get(0);
    }

    public static byte[] signedBytes(long position, String coversTransactionsBelow, String merkleRoot) {
        return ("keyledger-checkpoint:v1\n" + position + "\n" + coversTransactionsBelow + "\n" + merkleRoot)
                .getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
