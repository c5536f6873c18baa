package io.keyledger.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.application.LedgerCheckpointer;
import io.keyledger.application.OrgKeyPolicies;
import io.keyledger.relay.KafkaRelay;
import io.keyledger.serviceaccount.OrgKeyPolicy;
import io.keyledger.serviceaccount.OrgKeyPolicyChanged;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.StoredEvent;
import io.keyledger.store.WritePath;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Tamper;
import io.keyledger.testing.Tokens;
import io.keyledger.verify.KeyledgerVerify;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The standalone verifier ({@code keyledger-verify.jar}'s main) against the real broker: it passes
 * what the relay published, and for each tampering of the database before publication (altered
 * data, a swapped key hash, a deleted middle row, a deleted tail under a checkpoint, two rows'
 * contents swapped) it names the same first bad position as {@code GET /api/v2/ledger/verify}.
 * Tampered logs are published, as the relay builds the records, to a topic of their own.
 */
@QuarkusTest
class StandaloneVerifierTest {

    @Inject
    Pool pool;

    @Inject
    EventStore eventStore;

    @Inject
    io.keyledger.store.EventLog eventLog;

    @Inject
    KafkaRelay relay;

    @Inject
    LedgerCheckpointer checkpointer;

    record Run(int exitCode, JsonPath report, String stderr) {
    }

    static Run verifier(String topic, String publicKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KeyledgerVerify.run(
                new String[]{"--kafka", KafkaTopics.bootstrap(), "--topic", topic, "--public-key", publicKey},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        return new Run(code, report.isBlank() ? null : JsonPath.from(report), err.toString(StandardCharsets.UTF_8));
    }

    static String publicKeyPem() {
        return given().get("/api/v2/ledger/public-key").then().statusCode(200).extract().asString();
    }

    @Test
    void thePublishedTopic_verifiesClean_afterThousandsOfEvents_withItsCheckpoints() {
        // keys through the API, and thousands more events appended through the store (org policy changes)
        for (int account = 0; account < 5; account++) {
            String org = Fixtures.newOrgWithAccounts("svc");
            for (int key = 0; key < 9; key++) {
                Fixtures.createKey(org, "svc", "k" + key);
            }
        }
        for (int org = 0; org < 20; org++) {
            String name = Fixtures.newOrg();
            List<OrgKeyPolicyChanged> changes = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                changes.add(new OrgKeyPolicyChanged(name, 1 + i, OrgKeyPolicy.OnLeak.REVOKE, Instant.now(),
                        "auditor-test"));
            }
            String stream = OrgKeyPolicies.streamId(name);
            eventStore
                    .decideAndAppend(stream, eventStore.streamVersion(stream),
                            version -> new WritePath.Decision<>(changes, Optional.empty()), new EventMetadata(
                                    "auditor-test", Map.of("type", "user", "subject", "auditor-test"), "r-" + org))
                    .await().indefinitely();
        }
        checkpointer.recordNow().await().indefinitely();
        long last = lastPosition();
        // everything up to here is on the topic (the relay publishes in commit order)
        KafkaTopics.awaitRecords("api-key-events",
                r -> Long.parseLong(KafkaTopics.header(r, "ce_ledgerposition")) >= last, seen -> !seen.isEmpty(),
                Duration.ofSeconds(120));

        String url = "http://localhost:" + RestAssured.port + "/api/v2/ledger/public-key";
        Run run = verifier("api-key-events", url);
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.report().getBoolean("valid"));
        assertTrue(run.report().getLong("events_checked") >= 2000, "checked " + run.report().getLong("events_checked"));
        assertTrue(run.report().getInt("checkpoints_checked") >= 1);
        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void everyTampering_isNamedAtTheSamePosition_byTheEndpointAndTheStandaloneVerifier() {
        String org = Fixtures.newOrgWithAccounts("svc");
        Fixtures.createKey(org, "svc", "a");
        Fixtures.createKey(org, "svc", "b");
        Fixtures.createKey(org, "svc", "c");
        String stream = "service-account:" + org + ":svc";
        awaitPublished(stream, 4);
        checkpointer.recordNow().await().indefinitely();
        List<Row> rows = streamRows(stream);
        Row second = rows.get(1);
        Row third = rows.get(2);
        Row tail = rows.get(3);
        long checkpointPosition = lastPosition();
        String pem = publicKeyPem();
        assertClean(pem);

        JsonObject secondData = second.getJsonObject("data");
        JsonObject thirdData = third.getJsonObject("data");
        long at = second.getLong("position");

        // altered data
        tampered(() -> update(at, secondData.copy().put("description", "forged")), () -> update(at, secondData), pem,
                at, stream, "altered");

        // the stored key hash swapped: the published records carry only its commitment, and still catch it
        tampered(() -> update(at, secondData.copy().put("key_hash", "0".repeat(64))), () -> update(at, secondData), pem,
                at, stream, "altered");

        // two rows' contents swapped
        long thirdAt = third.getLong("position");
        tampered(() -> {
            update(at, thirdData);
            update(thirdAt, secondData);
        }, () -> {
            update(at, secondData);
            update(thirdAt, thirdData);
        }, pem, at, stream, "altered");

        // a middle row deleted: named at the event after the gap
        tampered(() -> Tamper.asAttacker(pool, "DELETE FROM events WHERE position = $1", Tuple.of(at)),
                () -> restore(second), pem, thirdAt, stream, "missing event");

        // the tail deleted: every link left is sound; the checkpoint that covered it is named
        tampered(
                () -> Tamper.asAttacker(pool, "DELETE FROM events WHERE position = $1",
                        Tuple.of(tail.getLong("position"))),
                () -> restore(tail), pem, checkpointPosition, "ledger", "Merkle root");

        assertClean(pem);
    }

    /** Tampers, checks that both verifiers name the break, and always undoes the tampering (the log is shared). */
    private void tampered(Runnable tamper, Runnable undo, String pem, long position, String stream, String reason) {
        tamper.run();
        try {
            assertBreak(pem, position, stream, reason);
        } finally {
            undo.run();
        }
    }

    private void update(long position, JsonObject data) {
        Tamper.asAttacker(pool, "UPDATE events SET data = $2 WHERE position = $1", Tuple.of(position, data));
    }

    private void assertClean(String pem) {
        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(true));
        Run run = verifier(publishTampered(), pem);
        assertEquals(0, run.exitCode(), run.stderr() + " " + (run.report() == null ? "" : run.report().prettify()));
    }

    private void assertBreak(String pem, long position, String stream, String reason) {
        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(false))
                .body("first_break.position", equalTo((int) position)).body("first_break.stream_id", equalTo(stream));
        Run run = verifier(publishTampered(), pem);
        assertEquals(1, run.exitCode(), run.stderr());
        assertFalse(run.report().getBoolean("valid"));
        assertEquals(position, run.report().getLong("first_break.position"), run.report().prettify());
        assertEquals(stream, run.report().getString("first_break.stream_id"));
        assertTrue(run.report().getString("first_break.reason").contains(reason),
                run.report().getString("first_break.reason"));
    }

    /**
     * Publishes the whole log as it stands, as the relay would, to a new topic; returns the topic. Every send
     * is acknowledged or the whole log goes again to another topic, so a busy broker cannot drop a record.
     */
    private String publishTampered() {
        List<StoredEvent> events = eventLog.readCommittedAfter(pool, "0", 0, 10_000_000).await().indefinitely();
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            String topic = "tampered-" + UUID.randomUUID();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTopics.bootstrap(), ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
                List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>(events.size());
                for (StoredEvent event : events) {
                    ProducerRecord<String, byte[]> record = relay.toRecord(event);
                    acks.add(producer
                            .send(new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers())));
                }
                producer.flush();
                for (var ack : acks) {
                    ack.get(120, TimeUnit.SECONDS);
                }
                return topic;
            } catch (Exception e) {
                last = new IllegalStateException("could not publish the log to " + topic, e);
            }
        }
        throw last;
    }

    private long lastPosition() {
        return pool.query("SELECT max(position) AS p FROM events").execute().await().indefinitely().iterator().next()
                .getLong("p");
    }

    private void awaitPublished(String stream, int count) {
        KafkaTopics.awaitRecords("api-key-events", r -> stream.equals(r.key()), seen -> seen.size() >= count,
                Duration.ofSeconds(60));
    }

    private List<Row> streamRows(String stream) {
        List<Row> rows = new java.util.ArrayList<>();
        pool.preparedQuery("SELECT * FROM events WHERE stream_id = $1 ORDER BY stream_version")
                .execute(Tuple.of(stream)).await().indefinitely().forEach(rows::add);
        return rows;
    }

    private void restore(Row row) {
        Tamper.asAttacker(pool,
                "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata,"
                        + " recorded_at, transaction_id, prev_hash, hash) OVERRIDING SYSTEM VALUE"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::xid8, $11, $12)",
                Tuple.from(Arrays.asList(row.getLong("position"), row.getUUID("event_id"), row.getString("stream_id"),
                        row.getInteger("stream_version"), row.getString("event_type"), row.getInteger("schema_version"),
                        row.getJsonObject("data"), row.getJsonObject("metadata"), row.getOffsetDateTime("recorded_at"),
                        row.getValue("transaction_id").toString(), row.getString("prev_hash"), row.getString("hash"))));
    }
}
