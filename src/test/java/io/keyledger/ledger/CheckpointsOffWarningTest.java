package io.keyledger.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.ConfigOverrides;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 item 4: a service started without a ledger signing key says so at start, at WARN. The log of the started
 * service is captured in a file of its own (a fresh name per start, so an earlier run's file can never pass).
 */
@QuarkusTest
@TestProfile(CheckpointsOffWarningTest.NoSigningKey.class)
class CheckpointsOffWarningTest {

    public static class NoSigningKey extends ConfigOverrides {
        public NoSigningKey() {
            super("keyledger.ledger.signing-key-location", "", "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", "target/test-logs/checkpoints-off-" + UUID.randomUUID() + ".log",
                    "quarkus.log.file.json.enabled", "false", "quarkus.log.file.format", "%-5p [%c] %s%n");
        }
    }

    @ConfigProperty(name = "quarkus.log.file.path")
    String logFile;

    @Test
    void startWithoutSigningKey_logsTheCheckpointsOffWarning() {
        String expected = "WARN  [io.keyledger.application.LedgerSigner] No ledger signing key "
                + "(KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION): ledger checkpoints are OFF, so a deleted tail or stream cannot "
                + "be detected; see k8s/README.md \"Ledger signing key\"";
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> lines = Files.readAllLines(Path.of(logFile));
            assertTrue(lines.contains(expected), "the log of the started service:\n" + String.join("\n", lines));
            // and the service did start: Quarkus's own start line follows the warning
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO  [io.quarkus]") && l.contains("started in")),
                    String.join("\n", lines));
        });
        // the profile did take the key away: there is none to publish
        given().get("/api/v2/ledger/public-key").then().statusCode(404).body("message",
                equalTo("No ledger signing key is configured"));
    }
}
