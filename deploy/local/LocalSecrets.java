import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Local-only secrets for deploy/local, generated per checkout so no shared development secret is ever
 * trusted: an RS256 key pair for JWTs and a key-hash pepper, under {@code target/local/secrets}. Plain JDK 17,
 * run as a single source file ({@code java deploy/local/LocalSecrets.java ...}); no openssl needed.
 *
 * <pre>
 *   init &lt;dir&gt;                                        create the key pair and pepper unless they exist
 *   mint &lt;dir&gt; &lt;issuer&gt; &lt;audience&gt; &lt;subject&gt; &lt;group&gt; &lt;ttl-seconds&gt;   print a signed JWT
 * </pre>
 */
public final class LocalSecrets {

    static final String PRIVATE_KEY = "local-only-private-key.pem";
    static final String PUBLIC_KEY = "local-only-public-key.pem";
    static final String PEPPER = "local-only-pepper";
    static final String LEDGER_SIGNING_KEY = "local-only-ledger-signing-key.pem";

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("init")) {
            init(Path.of(args[1]));
        } else if (args.length == 7 && args[0].equals("mint")) {
            Path dir = Path.of(args[1]);
            init(dir);
            System.out.println(mint(dir, args[2], args[3], args[4], args[5], Long.parseLong(args[6])));
        } else {
            System.err.println("usage: LocalSecrets init <dir> | mint <dir> <issuer> <audience> <subject> <group> <ttl-seconds>");
            System.exit(2);
        }
    }

    /** Creates the key pair and the pepper once; later calls keep them (they protect the local data). */
    static void init(Path dir) throws Exception {
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve(PRIVATE_KEY)) || !Files.exists(dir.resolve(PUBLIC_KEY))) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            writePrivate(dir.resolve(PRIVATE_KEY), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(dir.resolve(PUBLIC_KEY), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            System.err.println("[local] generated a local-only JWT key pair in " + dir);
        }
        if (!Files.exists(dir.resolve(PEPPER))) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            writePrivate(dir.resolve(PEPPER), "local-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random));
            System.err.println("[local] generated a local-only key-hash pepper in " + dir);
        }
        if (!Files.exists(dir.resolve(LEDGER_SIGNING_KEY))) {
            // the Ed25519 key that signs ledger checkpoints, so the local stack checkpoints as production does
            KeyPair ledger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            writePrivate(dir.resolve(LEDGER_SIGNING_KEY), pem("PRIVATE KEY", ledger.getPrivate().getEncoded()));
            System.err.println("[local] generated a local-only ledger signing key in " + dir);
        }
    }

    static String mint(Path dir, String issuer, String audience, String subject, String group, long ttlSeconds)
            throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = "{\"iss\":" + json(issuer) + ",\"aud\":" + json(audience) + ",\"sub\":" + json(subject)
                + ",\"groups\":[" + json(group) + "],\"iat\":" + now + ",\"exp\":" + (now + ttlSeconds) + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(payload.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(privateKey(dir.resolve(PRIVATE_KEY)));
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + base64Url(signature.sign());
    }

    private static PrivateKey privateKey(Path file) throws Exception {
        String body = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file inherits the directory's ACL
        }
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A JSON string; the callers' values are checked by deploy/local/mint-jwt, this only escapes. */
    private static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
