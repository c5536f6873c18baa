package io.keyledger.ledger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * What a checkpoint's Ed25519 signature covers:
 * {@code "keyledger-checkpoint:v2\n" position "\n" covers_transactions_below "\n" merkle_root}, UTF-8.
 * (v1 checkpoints were signed over the first form of the ledger entry, which migration V10 replaced.)
 */
public final class CheckpointStatement {

    public static final int FORM = 2;

    private CheckpointStatement() {
    }

    public static byte[] signedBytes(long position, String coversTransactionsBelow, String merkleRoot) {
        return ("keyledger-checkpoint:v" + FORM + "\n" + position + "\n" + coversTransactionsBelow + "\n" + merkleRoot)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** An Ed25519 public key from a PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    public static PublicKey publicKey(String pem) {
        try {
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key in PEM form: " + e.getMessage(), e);
        }
    }

    public static boolean verify(PublicKey key, byte[] message, String base64Signature) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(key);
            ed25519.update(message);
            return ed25519.verify(Base64.getDecoder().decode(base64Signature));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
