package io.keyledger.serviceaccount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The leak kit's secret-scanning pattern (docs/security.md) finds every key the service mints, wherever it stands in
 * text, and no near miss of another shape; a wrong checksum has the right shape, so the pattern matches it and the
 * checksum check ({@link ApiKeyFormat#isWellFormed}, as the partner-format endpoint applies it) refuses it.
 */
class SecretScanningPatternTest {

    /** GitHub's "before secret" and "after secret" for the custom pattern, as docs/security.md gives them. */
    static final String BEFORE = "(?<![0-9A-Za-z_])";

    static final String AFTER = "(?![0-9A-Za-z_])";

    static Pattern scanner(ApiKeyFormat format) {
        return Pattern.compile(BEFORE + format.secretScanningPattern() + AFTER);
    }

    static List<String> found(Pattern scanner, String text) {
        Matcher matcher = scanner.matcher(text);
        return matcher.results().map(m -> m.group()).toList();
    }

    @Test
    void everyMintedKey_isFound_inTheTextAroundIt() {
        for (String prefix : List.of("kl", "acme", "k9x")) {
            ApiKeyFormat format = new ApiKeyFormat(prefix, new java.security.SecureRandom());
            Pattern scanner = scanner(format);
            for (int i = 0; i < 2_000; i++) {
                String key = format.newKey();
                assertEquals(List.of(key), found(scanner, "export API_KEY=" + key + "\n"), key);
                assertEquals(List.of(key), found(scanner, "{\"token\":\"" + key + "\"}"), key);
                assertEquals(List.of(key), found(scanner, key), key);
                assertEquals(List.of(key), found(scanner, "Authorization: Bearer " + key + " ;"), key);
            }
        }
    }

    @Test
    void nearMisses_areNotFound() {
        ApiKeyFormat format = new ApiKeyFormat("kl", new java.security.SecureRandom());
        Pattern scanner = scanner(format);
        String key = format.newKey();
        String body = key.substring(3);
        assertEquals(List.of(), found(scanner, "kl_" + body.substring(1)), "a short body");
        assertEquals(List.of(), found(scanner, key + "Z"), "a long body");
        assertEquals(List.of(), found(scanner, "gh_" + body), "another prefix");
        assertEquals(List.of(), found(scanner, "xkl_" + body), "our prefix inside another word");
        assertEquals(List.of(), found(scanner, "kl_" + body.substring(0, 35) + "-"), "a character outside base62");
        assertEquals(List.of(), found(scanner, "kl-" + body), "another separator");
    }

    @Test
    void aWrongChecksum_hasTheShape_butTheChecksumCheckRefusesIt() {
        ApiKeyFormat format = new ApiKeyFormat("kl", new java.security.SecureRandom());
        String key = format.newKey();
        char last = key.charAt(key.length() - 1);
        String wrong = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
        assertEquals(List.of(wrong), found(scanner(format), wrong), "a regular expression cannot compute a CRC32");
        assertFalse(format.isWellFormed(wrong));
        assertTrue(format.isWellFormed(key));
    }

    @Test
    void theDocsGiveThePatternOfTheDefaultPrefix() throws Exception {
        String docs = Files.readString(Path.of("docs/security.md"));
        assertTrue(docs.contains("kl_[0-9A-Za-z]{36}"), "docs/security.md gives the pattern");
        assertEquals("kl_[0-9A-Za-z]{36}",
                new ApiKeyFormat("kl", new java.security.SecureRandom()).secretScanningPattern());
    }
}
