package io.keyledger.replicas;

import static io.keyledger.replicas.ReplicaHarness.CALL_TIMEOUT;
import static io.keyledger.replicas.ReplicaHarness.JSON;
import static io.keyledger.replicas.ReplicaHarness.OUTCOME;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.RealServices;
import io.keyledger.testing.Tokens;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21 §2, the live rotation of the ledger signing key (docs/operations.md, "Ledger signing key"): keyledger
 * from the packaged jar, on a PostgreSQL and a KRaft broker that this test starts ({@link RealServices}), with
 * Ed25519 keys A and B generated here.
 * <ol>
 *   <li>Started with key A: events are written and signed checkpoints naming A cover them. Stopped (SIGTERM).</li>
 *   <li>Restarted with key B, and A's public key in {@code KEYLEDGER_LEDGER_PREVIOUS_PUBLIC_KEYS}: more events,
 *   checkpoints naming B. Then {@code GET /api/v2/ledger/verify} is valid with the checkpoints of both keys checked,
 *   {@code /ledger/public-keys} lists B then A, {@code /ledger/public-key} is B, and {@code keyledger-verify.jar} on
 *   the topic accepts with both keys (as PEM files, and as the service's JWKS URL) and refuses with B alone, naming
 *   A's key id at A's first checkpoint.</li>
 *   <li>Restarted with B and without A's public key: verify answers invalid at A's first checkpoint, saying it names
 *   an unknown signing key (not that its signature does not verify).</li>
 * </ol>
 * Key ids are computed here from the keys (RFC 7638), not taken from the service. Everything waits on outcomes,
 * with generous deadlines; each process's output is in {@code target/rotation-it}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerKeyRotationIT {

    private static final String TOPIC = "rotation-it-events";
    private static final String UNKNOWN_KEY = "checkpoint names an unknown signing key: ";

    @RegisterExtension
    static final ReplicaHarness.Stack STACK = new ReplicaHarness.Stack("rotation-it", TOPIC);

    // one pepper for every process (it lives outside the database), fresh per run
    private final String pepper = "rotation-it-" + ReplicaHarness.randomSecret();
    private Path verifierJar;

    @BeforeAll
    void findTheVerifier() {
        verifierJar = STACK.jar().getParent().resolveSibling("keyledger-verify.jar");
        assertTrue(Files.isRegularFile(verifierJar), verifierJar + " is built by mvn package");
    }

    @Test
    void aLogSignedWithKeyA_thenKeyB_verifiesEndToEnd_andWithoutAsPublicKeyNamesTheUnknownKey() throws Exception {
        SigningKey a = SigningKey.generate("a", STACK.work());
        SigningKey b = SigningKey.generate("b", STACK.work());
        assertFalse(a.kid().equals(b.kid()), "two keys, two ids");
        String org = Fixtures.newOrg();
        String admin = Tokens.admin(org);
        String auditor = Tokens.withGroups("rotation-auditor", "keyledger:auditor");

        // 1. key A signs the first checkpoints
        Replica first = launch("rotation-a", a, List.of());
        assertEquals(201,
                first.call("POST", "/api/v2/service-accounts/" + org, admin,
                        "{\"name\":\"rotated\",\"description\":\"rotation\",\"privilege\":\"member\"}", CALL_TIMEOUT)
                        .statusCode());
        createKey(first, org, admin);
        String revokedLater = createKey(first, org, admin).path("id").asText();
        awaitCheckpointOfEverything(a.kid());
        first.stop(Duration.ofSeconds(60));

        // 2. key B signs, A's public key is a previous key
        Replica rotated = launch("rotation-b-with-a", b, List.of(a.publicPem()));
        createKey(rotated, org, admin);
        HttpResponse<String> revoked = rotated.call("DELETE", keyPath(org) + "/" + revokedLater, admin, null,
                CALL_TIMEOUT);
        assertEquals(200, revoked.statusCode(), revoked::body);
        awaitCheckpointOfEverything(b.kid());
        Set<String> eventIds = awaitEverythingPublished();

        List<Checkpoint> checkpoints = checkpoints();
        System.out.printf("[rotation] %d events; checkpoints (position, key id): %s; A=%s B=%s%n", eventIds.size(),
                checkpoints, a.kid(), b.kid());
        assertEquals(Set.of(a.kid(), b.kid()), new HashSet<>(checkpoints.stream().map(Checkpoint::kid).toList()),
                "the key ids the checkpoints name");
        long lastOfA = checkpoints.stream().filter(c -> c.kid().equals(a.kid())).mapToLong(Checkpoint::position).max()
                .orElseThrow();
        long firstOfB = checkpoints.stream().filter(c -> c.kid().equals(b.kid())).mapToLong(Checkpoint::position).min()
                .orElseThrow();
        assertTrue(lastOfA < firstOfB, "every checkpoint of A comes before those of B: " + checkpoints);
        Checkpoint firstOfA = checkpoints.get(0);
        assertEquals(a.kid(), firstOfA.kid());

        JsonNode verdict = verify(rotated, auditor);
        assertTrue(verdict.path("valid").asBoolean(false), verdict::toString);
        assertEquals(checkpoints.size(), verdict.path("checkpoints_checked").asInt(), verdict::toString);
        assertEquals(eventIds.size(), verdict.path("events_checked").asInt(), verdict::toString);

        HttpResponse<String> jwks = rotated.call("GET", "/api/v2/ledger/public-keys", null, null, CALL_TIMEOUT);
        assertEquals(200, jwks.statusCode(), jwks::body);
        JsonNode keys = JSON.readTree(jwks.body()).path("keys");
        assertEquals(List.of(b.kid(), a.kid()), kids(keys), "the keyring, current first: " + jwks.body());
        assertEquals(List.of(b.x(), a.x()), List.of(keys.get(0).path("x").asText(), keys.get(1).path("x").asText()));
        HttpResponse<String> current = rotated.call("GET", "/api/v2/ledger/public-key", null, null, CALL_TIMEOUT);
        assertEquals(200, current.statusCode(), current::body);
        assertArrayEquals(b.keys().getPublic().getEncoded(), spki(current.body()),
                "the current key is B: " + current.body());

        Verifier both = verifier("--public-key", b.publicPem().toString(), "--public-key", a.publicPem().toString());
        System.out.printf("[rotation] keyledger-verify with A and B: exit %d %s%n", both.exitCode(), both.report());
        assertEquals(0, both.exitCode(), both::toString);
        assertTrue(both.report().path("valid").asBoolean(false), both::toString);
        assertEquals(checkpoints.size(), both.report().path("checkpoints_checked").asInt(), both::toString);
        assertEquals(eventIds.size(), both.report().path("events_checked").asInt(), both::toString);

        Verifier fromJwks = verifier("--public-key", rotated.api("/api/v2/ledger/public-keys").toString());
        assertEquals(0, fromJwks.exitCode(), fromJwks::toString);
        assertEquals(checkpoints.size(), fromJwks.report().path("checkpoints_checked").asInt(), fromJwks::toString);

        Verifier onlyB = verifier("--public-key", b.publicPem().toString());
        System.out.printf("[rotation] keyledger-verify with B only: exit %d %s%n", onlyB.exitCode(), onlyB.report());
        assertEquals(1, onlyB.exitCode(), onlyB::toString);
        assertFalse(onlyB.report().path("valid").asBoolean(true), onlyB::toString);
        assertUnknownKeyAt(firstOfA, a.kid(), onlyB.report().path("first_break"));
        rotated.stop(Duration.ofSeconds(60));

        // 3. key B without A's public key: A's checkpoints name a key the service does not hold
        Replica forgetful = launch("rotation-b-without-a", b, List.of());
        HttpResponse<String> ring = forgetful.call("GET", "/api/v2/ledger/public-keys", null, null, CALL_TIMEOUT);
        assertEquals(List.of(b.kid()), kids(JSON.readTree(ring.body()).path("keys")), ring::body);
        JsonNode refused = verify(forgetful, auditor);
        System.out.printf("[rotation] /api/v2/ledger/verify with B only: %s%n", refused);
        assertFalse(refused.path("valid").asBoolean(true), refused::toString);
        assertUnknownKeyAt(firstOfA, a.kid(), refused.path("first_break"));
    }

    private static void assertUnknownKeyAt(Checkpoint checkpoint, String kid, JsonNode firstBreak) {
        assertEquals(checkpoint.position(), firstBreak.path("position").asLong(), firstBreak::toString);
        assertEquals("ledger", firstBreak.path("stream_id").asText(), firstBreak::toString);
        assertEquals(UNKNOWN_KEY + kid, firstBreak.path("reason").asText(),
                "named, not called tampered: " + firstBreak);
    }

    // --- the service --------------------------------------------------------------------------------------------

    private Replica launch(String name, SigningKey signing, List<Path> previousPublicKeys) {
        return STACK.launch(name,
                Map.of("KEYLEDGER_KEYS_HASH_PEPPER", pepper, "KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION",
                        signing.privatePem().toString(), "KEYLEDGER_LEDGER_PREVIOUS_PUBLIC_KEYS",
                        String.join(",", previousPublicKeys.stream().map(Path::toString).toList()),
                        "KEYLEDGER_LEDGER_CHECKPOINT_INTERVAL", "1s"));
    }

    private JsonNode createKey(Replica replica, String org, String admin) throws IOException {
        return ReplicaHarness.createKey(replica, keyPath(org), admin, "rotation", CALL_TIMEOUT);
    }

    private static String keyPath(String org) {
        return "/api/v2/service-accounts/" + org + "/rotated/api-keys";
    }

    private static JsonNode verify(Replica replica, String auditor) throws IOException {
        HttpResponse<String> verify = replica.call("GET", "/api/v2/ledger/verify", auditor, null, CALL_TIMEOUT);
        assertEquals(200, verify.statusCode(), verify::body);
        return JSON.readTree(verify.body());
    }

    private static List<String> kids(JsonNode keys) {
        List<String> kids = new ArrayList<>();
        keys.forEach(key -> kids.add(key.path("kid").asText()));
        return kids;
    }

    // --- the log ------------------------------------------------------------------------------------------------

    private record Checkpoint(long position, String kid) {
    }

    /** A checkpoint signed with {@code kid} covers the last event outside the ledger stream. */
    private void awaitCheckpointOfEverything(String kid) {
        await("a checkpoint by " + kid + " of everything written").atMost(OUTCOME).pollInterval(Duration.ofMillis(500))
                .until(() -> count("SELECT count(*) FROM events WHERE stream_id = 'ledger' AND data->>'key_id' = '"
                        + kid + "'"
                        + " AND (data->>'position')::bigint = (SELECT max(position) FROM events WHERE stream_id <> 'ledger')") >= 1);
    }

    /** Every checkpoint in the log, by position. */
    private List<Checkpoint> checkpoints() throws SQLException {
        List<Checkpoint> checkpoints = new ArrayList<>();
        try (Connection db = connect();
                Statement query = db.createStatement();
                ResultSet rows = query.executeQuery(
                        "SELECT position, data->>'key_id' FROM events WHERE stream_id = 'ledger' ORDER BY position")) {
            while (rows.next()) {
                checkpoints.add(new Checkpoint(rows.getLong(1), rows.getString(2)));
            }
        }
        return checkpoints;
    }

    /** Waits until every event of the log is on the topic (by ce_id); answers the log's event ids. */
    private Set<String> awaitEverythingPublished() throws SQLException {
        Set<String> log = new HashSet<>();
        try (Connection db = connect();
                Statement query = db.createStatement();
                ResultSet rows = query.executeQuery("SELECT event_id::text FROM events")) {
            while (rows.next()) {
                log.add(rows.getString(1));
            }
        }
        Set<String> onTopic = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = ReplicaHarness.topicReader(STACK.bootstrap(), TOPIC)) {
            List<TopicPartition> partitions = ReplicaHarness.partitions(consumer, TOPIC);
            consumer.seekToBeginning(partitions);
            await("every event on " + TOPIC).atMost(OUTCOME).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> onTopic.add(KafkaTopics.header(r, "ce_id")));
                return onTopic.containsAll(log);
            });
        }
        return log;
    }

    private long count(String sql) throws SQLException {
        try (Connection db = connect();
                Statement query = db.createStatement();
                ResultSet rows = query.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Connection connect() throws SQLException {
        return STACK.connect();
    }

    // --- the standalone verifier ----------------------------------------------------------------------------------

    private record Verifier(int exitCode, JsonNode report, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + ": " + report + (stderr.isBlank() ? "" : "\n" + stderr);
        }
    }

    /** {@code java -jar keyledger-verify.jar --kafka ... --topic ...} with these key arguments, as an auditor runs it. */
    private Verifier verifier(String... keyArguments) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                        verifierJar.toString(), "--kafka", STACK.bootstrap(), "--topic", TOPIC, "--timeout", "60"));
        command.addAll(Arrays.asList(keyArguments));
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path out = STACK.work().resolve("verify-" + run + ".out");
        Path err = STACK.work().resolve("verify-" + run + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("keyledger-verify.jar did not finish: " + command);
        }
        String stdout = Files.readString(out).strip();
        return new Verifier(process.exitValue(), stdout.isEmpty() ? JSON.createObjectNode() : JSON.readTree(stdout),
                Files.readString(err));
    }

    // --- keys ---------------------------------------------------------------------------------------------------

    /** An Ed25519 key pair as the service reads it (PKCS#8 PEM) and as an operator publishes it (SPKI PEM). */
    private record SigningKey(KeyPair keys, Path privatePem, Path publicPem, String x, String kid) {

        static SigningKey generate(String name, Path directory) throws Exception {
            KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path privatePem = directory.resolve("test-only-ledger-key-" + name + "-" + UUID.randomUUID() + ".pem");
            Files.writeString(privatePem, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            Path publicPem = directory.resolve(privatePem.getFileName().toString().replace(".pem", ".pub.pem"));
            Files.writeString(publicPem, pem("PUBLIC KEY", keys.getPublic().getEncoded()));
            String x = x(keys.getPublic());
            return new SigningKey(keys, privatePem, publicPem, x, thumbprint(x));
        }

        /** The raw key: the last 32 bytes of the SubjectPublicKeyInfo (RFC 8410), base64url. */
        private static String x(PublicKey key) {
            byte[] spki = key.getEncoded();
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        }

        /** RFC 7638: SHA-256 over the JWK's required members in lexicographic order, base64url. */
        private static String thumbprint(String x) throws Exception {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    ("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}").getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }

        private static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }
    }

    private static byte[] spki(String pem) {
        return Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }
}
