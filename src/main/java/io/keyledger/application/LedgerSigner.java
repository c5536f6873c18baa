package io.keyledger.application;

import io.keyledger.config.KeyledgerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * The Ed25519 key that signs ledger checkpoints, read from {@code KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION}
 * (a PKCS#8 PEM file, as a mounted secret is). Its public key is derived from it, so one file is enough.
 */
@ApplicationScoped
public class LedgerSigner {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(LedgerSigner.class);

    private KeyPair keys;
    /** Public keys of earlier signing keys (KEYLEDGER_LEDGER_PREVIOUS_PUBLIC_KEYS), so their checkpoints still verify. */
    private java.util.List<PublicKey> previous = java.util.List.of();

    @Inject
    void load(KeyledgerConfig config) throws Exception {
        java.util.List<PublicKey> earlier = new java.util.ArrayList<>();
        for (String entry : config.ledger().previousPublicKeys().orElse("").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry.strip());
            if (Files.isDirectory(path)) {
                try (var files = Files.list(path)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".pem")).sorted().toList()) {
                        earlier.addAll(io.keyledger.ledger.LedgerKeys.parseAll(Files.readString(file)));
                    }
                }
            } else {
                earlier.addAll(io.keyledger.ledger.LedgerKeys.parseAll(Files.readString(path)));
            }
        }
        previous = java.util.List.copyOf(earlier);
        Optional<String> location = config.ledger().signingKeyLocation().filter(l -> !l.isBlank());
        if (location.isEmpty()) {
            // in every launch mode, so the one a test can start is the one production runs (CheckpointsOffWarningTest)
            LOG.warn(
                    "No ledger signing key (KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION): ledger checkpoints are OFF, so a deleted "
                            + "tail or stream cannot be detected; see k8s/README.md \"Ledger signing key\"");
            return;
        }
        String pem = Files.readString(Path.of(location.get())).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s",
                "");
        PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes().orElseThrow();
        // the JDK derives an Ed25519 public key only through generation: generate from the private key's own seed
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, bytes.length);
            }
        });
        keys = generator.generateKeyPair();
    }

    public boolean configured() {
        return keys != null;
    }

    public String sign(byte[] message) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(keys.getPrivate());
            ed25519.update(message);
            return Base64.getEncoder().encodeToString(ed25519.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a checkpoint", e);
        }
    }

    public boolean verify(byte[] message, String signature) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(keys.getPublic());
            ed25519.update(message);
            return ed25519.verify(Base64.getDecoder().decode(signature));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The public key checkpoints verify with; empty when no signing key is configured. */
    public Optional<PublicKey> publicKey() {
        return keys == null ? Optional.empty() : Optional.of(keys.getPublic());
    }

    /** The current key's id ({@link io.keyledger.ledger.LedgerKeys#keyId}); empty when no signing key is configured. */
    public Optional<String> keyId() {
        return publicKey().map(io.keyledger.ledger.LedgerKeys::keyId);
    }

    /** The keyring: the current public key first, then the earlier ones, by key id. */
    public java.util.Map<String, PublicKey> keysById() {
        java.util.List<PublicKey> all = new java.util.ArrayList<>();
        publicKey().ifPresent(all::add);
        all.addAll(previous);
        return io.keyledger.ledger.LedgerKeys.byId(all);
    }

    /** The public key as PEM (X.509 SubjectPublicKeyInfo). */
    public Optional<String> publicKeyPem() {
        if (keys == null) {
            return Optional.empty();
        }
        PublicKey publicKey = keys.getPublic();
        return Optional.of("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
    }
}
