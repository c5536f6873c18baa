package io.keyledger.replicas;

import static io.keyledger.replicas.ReplicaHarness.CALL_TIMEOUT;
import static io.keyledger.replicas.ReplicaHarness.JSON;
import static io.keyledger.replicas.ReplicaHarness.OUTCOME;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keyledger.serviceaccount.KeyHasher;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.RealServices;
import io.keyledger.testing.Tokens;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21 §3, rotating the key-hash pepper (docs/operations.md, "Key-hash pepper"): keyledger from the packaged jar,
 * restarted three times on one PostgreSQL and one KRaft broker that this test starts ({@link RealServices}).
 * <ol>
 *   <li>{@code KEYLEDGER_KEYS_HASH_PEPPERS=p1:...}: keys A (presented later), B (never presented again) and C
 *   (revoked later) are issued; their rows name p1 and the gauge counts 3 under p1.</li>
 *   <li>{@code p2:...,p1:...}: C is revoked and presented (REVOKED, never re-hashed: revocation wins). A authenticates
 *   and verifies; one {@code KeyRehashed} p1 to p2 is on the log (however often A is presented), A's row names p2
 *   with the hash under p2, and the gauge moves (p1: 1, p2: 1). A new key D is issued under p2. The ledger verifies.</li>
 *   <li>{@code p2:...} alone: A still authenticates and verifies; B, which still needed p1, is NOT_FOUND and the start
 *   WARN counts it. The ledger verifies.</li>
 * </ol>
 * Then neither the topic (values and headers) nor any process's log holds a key value or a stored hash, and the
 * event log holds no key value. Everything waits on outcomes, with generous deadlines; output in
 * {@code target/pepper-it}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PepperRotationIT {

    private static final String TOPIC = "pepper-it-events";
    private static final String GAUGE = "keyledger_keys_by_pepper";

    @RegisterExtension
    static final ReplicaHarness.Stack STACK = new ReplicaHarness.Stack("pepper-it", TOPIC);

    // fresh secrets per run (they live outside the database, as in production)
    private final String secret1 = "pepper-it-one-" + ReplicaHarness.randomSecret();
    private final String secret2 = "pepper-it-two-" + ReplicaHarness.randomSecret();

    @Test
    void aKeyIssuedUnderP1_isRehashedUnderP2_whenPresented_andKeepsWorkingOnceP1IsDropped() throws Exception {
        String org = Fixtures.newOrg();
        String admin = Tokens.admin(org);
        String verifier = Tokens.withGroups("pepper-verifier", "keyledger:verifier");
        String auditor = Tokens.withGroups("pepper-auditor", "keyledger:auditor");
        Set<String> values = new HashSet<>();

        // 1. one pepper, p1
        Replica first = launch("pepper-p1", "p1:" + secret1);
        assertEquals(201,
                first.call("POST", "/api/v2/service-accounts/" + org, admin,
                        "{\"name\":\"peppered\",\"description\":\"pepper rotation\",\"privilege\":\"member\"}",
                        CALL_TIMEOUT).statusCode());
        JsonNode a = createKey(first, org, admin);
        JsonNode b = createKey(first, org, admin);
        JsonNode c = createKey(first, org, admin);
        for (JsonNode key : List.of(a, b, c)) {
            values.add(key.path("key").asText());
            assertEquals("p1", row(key.path("id").asText()).pepperId());
        }
        String hashUnderP1 = row(id(a)).keyHash();
        assertEquals(new KeyHasher(secret1).hash(value(a)), hashUnderP1);
        assertEquals("p1", keyCreatedPepper(id(a)), "KeyCreated v2 records the pepper id");
        assertEquals("VALID", verify(first, verifier, value(a)));
        awaitGauge(first, Map.of("p1", 3.0));
        first.stop(Duration.ofSeconds(60));

        // 2. p2 current, p1 older
        Replica rotated = launch("pepper-p2-p1", "p2:" + secret2 + ",p1:" + secret1);
        awaitGauge(rotated, Map.of("p1", 3.0, "p2", 0.0));
        HttpResponse<String> revoked = rotated.call("DELETE", keyPath(org) + "/" + id(c), admin, null, CALL_TIMEOUT);
        assertEquals(200, revoked.statusCode(), revoked::body);
        assertEquals("REVOKED", verify(rotated, verifier, value(c)), "a revoked key found under p1 is refused");
        assertEquals(0, rehashes(id(c)).size(), "and never re-hashed");

        HttpResponse<String> authenticated = rotated.call("GET", "/api/v2/service-accounts/" + org, value(a), null,
                CALL_TIMEOUT);
        assertEquals(200, authenticated.statusCode(), () -> "A authenticates under p1: " + authenticated.body());
        assertEquals(List.of("p1->p2"), rehashes(id(a)), "one KeyRehashed on the log");
        KeyRow rehashed = row(id(a));
        assertEquals("p2", rehashed.pepperId(), "the row names p2");
        assertEquals(new KeyHasher(secret2).hash(value(a)), rehashed.keyHash(), "and holds the hash under p2");
        assertNotEquals(hashUnderP1, rehashed.keyHash());
        assertEquals("VALID", verify(rotated, verifier, value(a)));
        assertEquals(200,
                rotated.call("GET", "/api/v2/service-accounts/" + org, value(a), null, CALL_TIMEOUT).statusCode());
        assertEquals(List.of("p1->p2"), rehashes(id(a)), "presented again: found under p2, nothing more recorded");
        JsonNode d = createKey(rotated, org, admin);
        values.add(value(d));
        assertEquals("p2", row(id(d)).pepperId(), "new keys are hashed with the current pepper");
        assertEquals("p2", keyCreatedPepper(id(d)));
        awaitGauge(rotated, Map.of("p1", 1.0, "p2", 2.0)); // B under p1; A and D under p2 (C is revoked)
        assertLedgerValid(rotated, auditor);
        rotated.stop(Duration.ofSeconds(60));

        // 3. p1 dropped
        Replica dropped = launch("pepper-p2", "p2:" + secret2);
        assertEquals("VALID", verify(dropped, verifier, value(a)), "A needs p2 only now");
        assertEquals(200,
                dropped.call("GET", "/api/v2/service-accounts/" + org, value(a), null, CALL_TIMEOUT).statusCode());
        assertEquals("NOT_FOUND", verify(dropped, verifier, value(b)), "B still needed p1");
        await("the start WARN counting B").atMost(OUTCOME).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertTrue(
                        Files.readString(dropped.log).contains(
                                "1 active API keys need peppers no longer in KEYLEDGER_KEYS_HASH_PEPPERS ({p1=1}"),
                        dropped.tail(40)));
        awaitGauge(dropped, Map.of("p1", 1.0, "p2", 2.0));
        assertLedgerValid(dropped, auditor);

        // nothing secret anywhere it must not be
        Set<String> hashes = storedHashes();
        hashes.add(hashUnderP1);
        assertTrue(hashes.size() >= 5, "the stored hashes of A (both), B, C and D: " + hashes.size());
        awaitRehashPublished(id(a));
        List<String> published = publishedTexts();
        for (String text : published) {
            for (String secret : values) {
                assertFalse(text.contains(secret), "a key value on the topic");
            }
            for (String hash : hashes) {
                assertFalse(text.contains(hash), "a stored hash on the topic");
            }
        }
        for (Replica replica : STACK.replicas()) {
            String log = Files.readString(replica.log);
            for (String secret : values) {
                assertFalse(log.contains(secret), "a key value in " + replica.log);
            }
            for (String hash : hashes) {
                assertFalse(log.contains(hash), "a hash in " + replica.log);
            }
            assertFalse(log.contains(secret1) || log.contains(secret2), "a pepper in " + replica.log);
        }
        String eventLog = eventLogText();
        for (String secret : values) {
            assertFalse(eventLog.contains(secret), "a key value in the event log");
        }
        System.out.printf("[pepper] %d records on %s checked, %d key values and %d hashes; rehashes of A: %s%n",
                published.size(), TOPIC, values.size(), hashes.size(), rehashes(id(a)));
    }

    // --- the service --------------------------------------------------------------------------------------------

    private Replica launch(String name, String peppers) {
        return STACK.launch(name,
                Map.of("KEYLEDGER_KEYS_HASH_PEPPERS", peppers, "KEYLEDGER_KEYS_PEPPER_COUNT_INTERVAL", "1s"));
    }

    private JsonNode createKey(Replica replica, String org, String admin) throws IOException {
        return ReplicaHarness.createKey(replica, keyPath(org), admin, "peppered", CALL_TIMEOUT);
    }

    private static String keyPath(String org) {
        return "/api/v2/service-accounts/" + org + "/peppered/api-keys";
    }

    private static String id(JsonNode key) {
        return key.path("id").asText();
    }

    private static String value(JsonNode key) {
        return key.path("key").asText();
    }

    /** {@code POST /api/v2/api-keys/verify} as a gateway calls it; answers the code. */
    private static String verify(Replica replica, String verifier, String key) throws IOException {
        HttpResponse<String> verdict = replica.call("POST", "/api/v2/api-keys/verify", verifier,
                JSON.createObjectNode().put("key", key).toString(), CALL_TIMEOUT);
        assertEquals(200, verdict.statusCode(), verdict::body);
        return JSON.readTree(verdict.body()).path("code").asText();
    }

    private static void assertLedgerValid(Replica replica, String auditor) throws IOException {
        HttpResponse<String> verify = replica.call("GET", "/api/v2/ledger/verify", auditor, null, CALL_TIMEOUT);
        assertEquals(200, verify.statusCode(), verify::body);
        JsonNode verdict = JSON.readTree(verify.body());
        assertTrue(verdict.path("valid").asBoolean(false), verdict::toString);
    }

    /** Waits until the gauge's series for each pepper id read these counts. */
    private static void awaitGauge(Replica replica, Map<String, Double> expected) {
        await(GAUGE + " " + expected + " on " + replica.name).atMost(OUTCOME).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (Map.Entry<String, Double> e : expected.entrySet()) {
                        assertEquals(e.getValue(), replica.metricSum(GAUGE, "pepper_id=\"" + e.getKey() + "\""), 0.0,
                                e.getKey());
                    }
                });
    }

    // --- the database and the topic -----------------------------------------------------------------------------

    private record KeyRow(String keyHash, String pepperId) {
    }

    private KeyRow row(String keyId) throws SQLException {
        try (Connection db = connect();
                PreparedStatement query = db
                        .prepareStatement("SELECT key_hash, pepper_id FROM api_keys WHERE id = ?")) {
            query.setString(1, keyId);
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next(), "a row for " + keyId);
                return new KeyRow(rows.getString(1), rows.getString(2));
            }
        }
    }

    private String keyCreatedPepper(String keyId) throws SQLException {
        try (Connection db = connect();
                PreparedStatement query = db.prepareStatement(
                        "SELECT schema_version, data->>'pepper_id' FROM events WHERE event_type = 'KeyCreated' AND data->>'id' = ?")) {
            query.setString(1, keyId);
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(2, rows.getInt(1), "KeyCreated v2");
                return rows.getString(2);
            }
        }
    }

    /** The key's KeyRehashed events on the log, in order, as "from->to". */
    private List<String> rehashes(String keyId) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection db = connect();
                PreparedStatement query = db.prepareStatement("SELECT data->>'from_pepper_id',"
                        + " data->>'to_pepper_id' FROM events WHERE event_type = 'KeyRehashed' AND data->>'id' = ? ORDER BY position")) {
            query.setString(1, keyId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1) + "->" + rows.getString(2));
                }
            }
        }
        return found;
    }

    /** Every key hash the database holds: the rows', and every hash an event stored. */
    private Set<String> storedHashes() throws SQLException {
        Set<String> hashes = new HashSet<>();
        try (Connection db = connect();
                PreparedStatement query = db.prepareStatement("SELECT key_hash FROM api_keys"
                        + " UNION SELECT data->>'key_hash' FROM events WHERE data->>'key_hash' IS NOT NULL");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                hashes.add(rows.getString(1));
            }
        }
        return hashes;
    }

    private String eventLogText() throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection db = connect();
                PreparedStatement query = db
                        .prepareStatement("SELECT data::text, coalesce(metadata::text, '') FROM events");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                text.append(rows.getString(1)).append(rows.getString(2)).append('\n');
            }
        }
        return text.toString();
    }

    private void awaitRehashPublished(String keyId) {
        await("A's KeyRehashed on " + TOPIC).atMost(OUTCOME).pollInterval(Duration.ofSeconds(1))
                .until(() -> publishedRecords().stream()
                        .anyMatch(r -> "io.keyledger.KeyRehashed.v1".equals(header(r, "ce_type")) && r.value() != null
                                && r.value().contains(keyId) && r.value().contains("\"to_pepper_id\":\"p2\"")));
    }

    /** Each record's value and every header, as text. */
    private List<String> publishedTexts() {
        List<String> texts = new ArrayList<>();
        for (ConsumerRecord<String, String> record : publishedRecords()) {
            StringBuilder text = new StringBuilder(String.valueOf(record.key())).append(' ').append(record.value());
            for (Header header : record.headers()) {
                text.append(' ').append(header.key()).append('=')
                        .append(new String(header.value(), StandardCharsets.UTF_8));
            }
            texts.add(text.toString());
        }
        return texts;
    }

    private List<ConsumerRecord<String, String>> publishedRecords() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = ReplicaHarness.topicReader(STACK.bootstrap(), TOPIC)) {
            List<TopicPartition> partitions = ReplicaHarness.partitions(consumer, TOPIC);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await("the whole topic read").atMost(OUTCOME).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return records;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Connection connect() throws SQLException {
        return STACK.connect();
    }
}
