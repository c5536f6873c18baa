package io.keyledger.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap settings read at start: a bad token file, org or window stops the start with a message naming it. */
class BootstrapTokenSettingsTest {

    static final String TOKEN = "0123456789abcdefghijklmnopqrstuvwxyzABCD";

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, content);
        return file;
    }

    private static String refusal(Optional<String> file, Optional<String> org, Duration window) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BootstrapToken.read(file, org, window));
        assertTrue(e.getMessage().startsWith("keyledger cannot start: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void noTokenFile_meansNoBootstrap() {
        assertNull(BootstrapToken.read(Optional.empty(), Optional.of("acme"), Duration.ofHours(1)));
        assertNull(BootstrapToken.read(Optional.of(" "), Optional.empty(), Duration.ofHours(1)));
    }

    @Test
    void aGoodFile_keepsOnlyTheTokensDigest_withoutTheTrailingNewline() throws Exception {
        BootstrapToken.Settings settings = BootstrapToken.read(Optional.of(file(TOKEN + "\n").toString()),
                Optional.of("acme"), Duration.ofHours(1));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8)),
                settings.digest());
        assertEquals("acme", settings.org());
        assertFalse(settings.toString().contains(TOKEN));
    }

    @Test
    void aShortToken_stopsTheStart_sayingHowLongItMustBe_withoutShowingIt() throws Exception {
        String message = refusal(Optional.of(file("short-secret-31-characters-long").toString()), Optional.of("acme"),
                Duration.ofHours(1));
        assertTrue(message.contains("has 31 characters; it needs at least 32"), message);
        assertFalse(message.contains("short-secret"), message);
    }

    @Test
    void anUnreadableFile_stopsTheStart() {
        String message = refusal(Optional.of(dir.resolve("missing").toString()), Optional.of("acme"),
                Duration.ofHours(1));
        assertTrue(message.contains("KEYLEDGER_AUTH_BOOTSTRAP_TOKEN_FILE cannot be read"), message);
    }

    @Test
    void aMissingOrInvalidOrg_stopsTheStart() throws Exception {
        String file = file(TOKEN).toString();
        assertTrue(refusal(Optional.of(file), Optional.empty(), Duration.ofHours(1))
                .contains("KEYLEDGER_AUTH_BOOTSTRAP_ORG"));
        assertTrue(refusal(Optional.of(file), Optional.of("Not An Org"), Duration.ofHours(1))
                .contains("KEYLEDGER_AUTH_BOOTSTRAP_ORG"));
    }

    @Test
    void aWindowOverADayOrNotPositive_stopsTheStart() throws Exception {
        String file = file(TOKEN).toString();
        assertTrue(refusal(Optional.of(file), Optional.of("acme"), Duration.ofHours(25))
                .contains("KEYLEDGER_AUTH_BOOTSTRAP_WINDOW"));
        assertTrue(refusal(Optional.of(file), Optional.of("acme"), Duration.ZERO)
                .contains("KEYLEDGER_AUTH_BOOTSTRAP_WINDOW"));
        assertEquals("acme", BootstrapToken.read(Optional.of(file), Optional.of("acme"), Duration.ofDays(1)).org());
    }
}
