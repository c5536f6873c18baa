package io.keyledger.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/** The run's own keys: an RS256 key pair it mints JWTs with (and the service trusts), and the ledger's Ed25519 key. */
final class Jwts {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final String issuer;

    private Jwts(PrivateKey key, String issuer) {
        this.key = key;
        this.issuer = issuer;
    }

    /** A fresh RSA 2048 key pair, written as PKCS#8 and SPKI PEM files (the service reads the public one). */
    static Jwts generate(Path privatePem, Path publicPem, String issuer) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        writePem(privatePem, "PRIVATE KEY", pair.getPrivate().getEncoded());
        writePem(publicPem, "PUBLIC KEY", pair.getPublic().getEncoded());
        return new Jwts(pair.getPrivate(), issuer);
    }

    /** A fresh Ed25519 private key as a PKCS#8 PEM file (the ledger's checkpoint signing key). */
    static void ed25519(Path privatePem) throws GeneralSecurityException, IOException {
        writePem(privatePem, "PRIVATE KEY",
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
    }

    /** A JWT for {@code subject} in one group, valid for two hours. */
    String mint(String subject, String group) throws GeneralSecurityException {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("iss", issuer);
        payload.put("aud", "keyledger");
        payload.put("sub", subject);
        payload.putArray("groups").add(group);
        payload.put("iat", now);
        payload.put("exp", now + 7200);
        String signed = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + encode(payload.toString());
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + URL.encodeToString(signature.sign());
    }

    /** Mints a JWT and writes it to {@code file} (the helpers read tokens from files); returns it. */
    String mintTo(Path file, String subject, String group) throws GeneralSecurityException, IOException {
        String token = mint(subject, group);
        Files.writeString(file, token + "\n");
        return token;
    }

    private static String encode(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }
}
