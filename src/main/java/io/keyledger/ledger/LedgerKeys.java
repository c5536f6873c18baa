package io.keyledger.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 checkpoint keys and their ids. A key's id is its RFC 7638 JWK thumbprint
 * (SHA-256 over {@code {"crv":"Ed25519","kty":"OKP","x":...}}, base64url), so it is derived from
 * the key itself, needs no naming by hand, and is the {@code kid} of the JWKS the service serves.
 */
public final class LedgerKeys {

    private static final Pattern PEM = Pattern.compile("-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----");
    /** An Ed25519 SubjectPublicKeyInfo is this DER prefix and then the 32-byte key (RFC 8410). */
    private static final int SPKI_PREFIX = 12;

    private LedgerKeys() {
    }

    /** The raw 32-byte public key, the JWK's {@code x}. */
    public static byte[] raw(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, SPKI_PREFIX, spki.length);
    }

    /** The JWK {@code x}: the raw key, base64url without padding. */
    public static String x(PublicKey key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw(key));
    }

    /** The RFC 7638 thumbprint of the key as an OKP JWK. */
    public static String keyId(PublicKey key) {
        String canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x(key) + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The Ed25519 public key whose JWK {@code x} this is. */
    public static PublicKey fromX(String x) {
        byte[] raw = Base64.getUrlDecoder().decode(x);
        byte[] spki = new byte[SPKI_PREFIX + raw.length];
        // SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING } (RFC 8410)
        System.arraycopy(new byte[]{0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00}, 0, spki, 0,
                SPKI_PREFIX);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX, raw.length);
        try {
            return java.security.KeyFactory.getInstance("Ed25519")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + x, e);
        }
    }

    /** Every PEM public key in the text (one file may hold several), in order. */
    public static List<PublicKey> parseAll(String text) {
        List<PublicKey> keys = new ArrayList<>();
        Matcher matcher = PEM.matcher(text);
        while (matcher.find()) {
            keys.add(CheckpointStatement.publicKey(matcher.group()));
        }
        return keys;
    }

    /** Keys by id, in the order given (a repeated key counts once). */
    public static Map<String, PublicKey> byId(List<PublicKey> keys) {
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        for (PublicKey key : keys) {
            byId.putIfAbsent(keyId(key), key);
        }
        return byId;
    }
}
