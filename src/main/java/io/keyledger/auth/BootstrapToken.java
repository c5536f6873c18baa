package io.keyledger.auth;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.serviceaccount.ServiceAccountNames;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The one-time first-admin bootstrap token (KEYLEDGER_AUTH_BOOTSTRAP_TOKEN_FILE), read once at start: only its SHA-256
 * is kept, compared in constant time, and only for one org and until the window after start has passed. Wrong
 * tokens count against the client address's failed-authentication allowance ({@link ApiKeyAuthMechanism}); past it,
 * every token (the right one too) gets 429 until it refills, so the token cannot be guessed. That it is used at most
 * once is the ledger's doing (event {@code OrgBootstrapped} at version 0 of stream {@code bootstrap:<org>}), not this
 * bean's: it holds no state a restart or another replica would lose.
 */
@ApplicationScoped
@Startup // a bad token file stops the start, not the first request
public class BootstrapToken {

    public static final int MIN_LENGTH = 32;
    public static final Duration MAX_WINDOW = Duration.ofDays(1);

    private static final Logger LOG = Logger.getLogger(BootstrapToken.class);

    /** What a presented token got: allowed, refused (401), or throttled (429 after {@code retryAfterSeconds}). */
    public sealed interface Check {
        record Allowed() implements Check {
        }

        record Refused() implements Check {
        }

        record Throttled(long retryAfterSeconds) implements Check {
        }
    }

    /** The settings read at start, once checked. */
    record Settings(byte[] digest, String org, Duration window) {
    }

    private final Settings settings;
    private final Instant usableUntil;
    private final ApiKeyAuthMechanism failedAuthentications;

    @Inject
    public BootstrapToken(KeyledgerConfig config, Clock clock, ApiKeyAuthMechanism failedAuthentications) {
        KeyledgerConfig.Bootstrap bootstrap = config.auth().bootstrap();
        this.settings = read(bootstrap.tokenFile(), bootstrap.org(), bootstrap.window());
        this.usableUntil = settings == null ? Instant.MIN : clock.instant().plus(settings.window());
        this.failedAuthentications = failedAuthentications;
        if (settings != null) {
            LOG.infof(
                    "Bootstrap token configured for org %s, usable until %s; delete its file and unset "
                            + "KEYLEDGER_AUTH_BOOTSTRAP_TOKEN_FILE once the first admin exists",
                    settings.org(), usableUntil);
        }
    }

    /** The settings, or null when no token file is set; an {@link IllegalStateException} naming what is wrong otherwise. */
    static Settings read(Optional<String> tokenFile, Optional<String> org, Duration window) {
        if (tokenFile.filter(f -> !f.isBlank()).isEmpty()) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        String token = null;
        try {
            token = Files.readString(Path.of(tokenFile.get()), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            problems.add("KEYLEDGER_AUTH_BOOTSTRAP_TOKEN_FILE cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (token != null && token.length() < MIN_LENGTH) {
            // the length only, never the content
            problems.add("the bootstrap token in KEYLEDGER_AUTH_BOOTSTRAP_TOKEN_FILE has " + token.length()
                    + " characters; it needs at least " + MIN_LENGTH + " (openssl rand -base64 32)");
        }
        if (token != null && token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            problems.add(
                    "the bootstrap token in KEYLEDGER_AUTH_BOOTSTRAP_TOKEN_FILE must be printable ASCII without spaces");
        }
        if (org.filter(ServiceAccountNames::isValid).isEmpty()) {
            problems.add("KEYLEDGER_AUTH_BOOTSTRAP_ORG must name the one org to bootstrap (" + ServiceAccountNames.RULE
                    + ")");
        }
        if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
            problems.add("KEYLEDGER_AUTH_BOOTSTRAP_WINDOW must be more than zero and at most " + MAX_WINDOW + " (is "
                    + window + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("keyledger cannot start: " + String.join("; ", problems));
        }
        return new Settings(sha256(token), org.get(), window);
    }

    public boolean configured() {
        return settings != null;
    }

    /** The org the token is for (only when {@link #configured()}). */
    public String org() {
        return settings.org();
    }

    /** Whether the window after start has not yet passed at {@code now}. */
    public boolean withinWindow(Instant now) {
        return now.isBefore(usableUntil);
    }

    /**
     * Checks the {@code Authorization} header from {@code clientAddress}: one of the address's failed-authentication
     * tokens is taken first (so parallel guesses cannot slip past), and given back if the token is right.
     */
    public Check check(String authorization, String clientAddress) {
        long wait = failedAuthentications.takeFailedAuthentication(clientAddress);
        if (wait > 0) {
            return new Check.Throttled(wait);
        }
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip()
                : "";
        // digests of equal length, compared in constant time: neither the length nor a prefix of the token leaks
        if (settings != null && MessageDigest.isEqual(sha256(presented), settings.digest())) {
            failedAuthentications.giveBackFailedAuthentication(clientAddress);
            return new Check.Allowed();
        }
        return new Check.Refused();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
