package io.keyledger.application;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The bootstrap configured as an operator would: a fresh org and a random token in a temp file readable by its owner
 * only. Tests read both back from the running service's configuration ({@link #token()}, {@link #org()}).
 */
public class BootstrapProfile implements QuarkusTestProfile {

    static final String WINDOW = "PT30M";

    /** Per profile class: each is its own service start, with its own org and token. */
    private static final Map<Class<?>, Map<String, String>> OVERRIDES = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Map<String, String> getConfigOverrides() {
        return OVERRIDES.computeIfAbsent(getClass(), c -> newOverrides());
    }

    private static Map<String, String> newOverrides() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Path file = Files.createTempFile("keyledger-bootstrap-token", ".txt",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n");
            file.toFile().deleteOnExit();
            return Map.of("keyledger.auth.bootstrap.token-file", file.toString(), "keyledger.auth.bootstrap.org",
                    "boot-" + UUID.randomUUID().toString().substring(0, 8), "keyledger.auth.bootstrap.window", WINDOW);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The token the running service read. */
    static String token() {
        try {
            return Files
                    .readString(Path.of(
                            ConfigProvider.getConfig().getValue("keyledger.auth.bootstrap.token-file", String.class)))
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The org the running service may bootstrap. */
    static String org() {
        return ConfigProvider.getConfig().getValue("keyledger.auth.bootstrap.org", String.class);
    }
}
