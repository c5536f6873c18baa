package io.keyledger.replicas;

import static io.keyledger.replicas.ReplicaHarness.JSON;
import static io.keyledger.replicas.ReplicaHarness.READY;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.RealServices;
import io.keyledger.testing.Tokens;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 21 §7, the restore test (docs/operations.md, "Restoring"): keyledger from the packaged jar writes to a
 * database; {@code pg_dump --format=custom} takes a dump while it runs; more is written (and published) after the
 * dump; the process stops; {@code pg_restore --no-owner} loads the dump into a fresh database on the same server;
 * a second process starts on the restored database, publishing to the same topic. It shows:
 * <ul>
 *   <li>{@code GET /api/v2/ledger/verify} on the restored database answers {@code valid: true}, with the signed
 *   checkpoint the dump holds checked;</li>
 *   <li>a key created after the dump is gone (401) and a key revoked after the dump is active again, as the
 *   runbook says;</li>
 *   <li>every {@code ce_id} the restored relay publishes is an event of the restored log, and is either one that was
 *   already on the topic (an at-least-once re-send) or a new event, published once: no duplicate {@code ce_id}
 *   that was not already on the topic;</li>
 *   <li>the same dump restored with its relay checkpoint deleted (the far end of a dump taken between a publication
 *   and the relay's checkpoint save) makes the relay re-send every event of the log under its own {@code ce_id} and
 *   ledger hash, and nothing else.</li>
 * </ul>
 *
 * <p>{@code pg_dump} must match the server's major version, and zonky's embedded server ships no {@code pg_dump};
 * so this test uses the PostgreSQL at {@code KEYLEDGER_TEST_RESTORE_JDBC_URL} (default the machine's own,
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code KEYLEDGER_TEST_RESTORE_DB_USER}, default
 * {@code postgres}) and the client binaries in {@code KEYLEDGER_TEST_PG_BIN} (default
 * {@code /usr/lib/postgresql/<server major>/bin}). It creates two databases of its own there and drops them after.
 * Kafka is the in-process KRaft broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreIT {

    private static final String TOPIC = "restore-it-events";
    private static final Duration PUBLISHED = Duration.ofSeconds(90);

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String sourceDb = "restore_it_source_" + suffix;
    private final String restoredDb = "restore_it_restored_" + suffix;
    private final String rewoundDb = "restore_it_rewound_" + suffix;
    private final List<Replica> replicas = new ArrayList<>();
    private String serverUrl;
    private String user;
    private String password;
    private Path pgBin;
    private KafkaClusterTestKit kafka;
    private String bootstrap;
    private HttpClient http;
    private Path jar;
    private Path work;

    @BeforeAll
    void startKafkaAndFindPostgres() throws Exception {
        jar = ReplicaHarness.packagedJar();
        work = ReplicaHarness.workDirectory("restore-it");
        serverUrl = envOr("KEYLEDGER_TEST_RESTORE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        user = envOr("KEYLEDGER_TEST_RESTORE_DB_USER", "postgres");
        password = envOr("KEYLEDGER_TEST_RESTORE_DB_PASSWORD", "");
        int major;
        try (Connection admin = DriverManager.getConnection(serverUrl, user, password)) {
            major = admin.getMetaData().getDatabaseMajorVersion();
            try (Statement create = admin.createStatement()) {
                create.execute("CREATE DATABASE " + sourceDb);
            }
        }
        pgBin = Path.of(envOr("KEYLEDGER_TEST_PG_BIN", "/usr/lib/postgresql/" + major + "/bin"));
        assertTrue(Files.isExecutable(pgBin.resolve("pg_dump")) && Files.isExecutable(pgBin.resolve("pg_restore")),
                "pg_dump and pg_restore for PostgreSQL " + major + " in " + pgBin + " (set KEYLEDGER_TEST_PG_BIN)");

        kafka = RealServices.KafkaBroker.start();
        bootstrap = kafka.bootstrapServers();
        ReplicaHarness.createTopic(bootstrap, TOPIC);
        http = ReplicaHarness.http(Duration.ofSeconds(5));
    }

    @AfterAll
    void stopEverything() throws Exception {
        Replica.killAll(replicas);
        if (kafka != null) {
            kafka.close();
        }
        if (serverUrl != null) {
            try (Connection admin = DriverManager.getConnection(serverUrl, user, password);
                    Statement drop = admin.createStatement()) {
                drop.execute("DROP DATABASE IF EXISTS " + sourceDb + " WITH (FORCE)");
                drop.execute("DROP DATABASE IF EXISTS " + restoredDb + " WITH (FORCE)");
                drop.execute("DROP DATABASE IF EXISTS " + rewoundDb + " WITH (FORCE)");
            }
        }
    }

    @Test
    void aRestoredDump_verifies_andItsRelayPublishesNoDuplicateThatWasNotAlreadyOnTheTopic() throws Exception {
        // before the dump: an account, two keys, all published and covered by a signed checkpoint
        Map<String, String> environment = environment();
        Replica source = launch("restore-source", sourceDb, environment);
        String org = Fixtures.newOrg();
        String admin = Tokens.admin(org);
        assertEquals(201, call("POST", source, "/api/v2/service-accounts/" + org, admin,
                "{\"name\":\"restored\",\"description\":\"restore\",\"privilege\":\"member\"}").statusCode());
        JsonNode kept = createKey(source, org, admin);
        JsonNode revokedAfterDump = createKey(source, org, admin);
        awaitPublishedAndCheckpointed(sourceDb);
        long eventsInDump = count(sourceDb, "SELECT count(*) FROM events");

        Path dump = work.resolve("keyledger-" + suffix + ".dump");
        run(pgBin.resolve("pg_dump").toString(), "--format=custom", "--file=" + dump, "--dbname=" + sourceDb);

        // after the dump (lost by the restore): a key created, a key revoked, both published
        JsonNode createdAfterDump = createKey(source, org, admin);
        assertEquals(200, call("DELETE", source, keyPath(org) + "/" + revokedAfterDump.path("id").asText(), admin, null)
                .statusCode());
        awaitPublished(sourceDb);
        source.kill();

        restore(dump, restoredDb);
        assertEquals(eventsInDump, count(restoredDb, "SELECT count(*) FROM events"), "events in the restored database");

        Map<TopicPartition, Long> endBeforeRestore = new HashMap<>();
        Map<String, String> hashBeforeRestore = topicHashes(endBeforeRestore);

        Replica restored = launch("restore-restored", restoredDb, environment);

        // (a) the restored ledger verifies, its checkpoint included
        HttpResponse<String> verify = call("GET", restored, "/api/v2/ledger/verify",
                Tokens.withGroups("restore-auditor", "keyledger:auditor"), null);
        assertEquals(200, verify.statusCode(), verify::body);
        JsonNode verdict = JSON.readTree(verify.body());
        System.out.printf("[restore] /api/v2/ledger/verify on the restored database: %s%n", verify.body());
        assertTrue(verdict.path("valid").asBoolean(false), verify::body);
        assertTrue(verdict.path("checkpoints_checked").asLong() >= 1, verify::body);
        assertTrue(verdict.path("events_checked").asLong() >= eventsInDump, verify::body);

        // what a restore to an earlier point means for keys (docs/operations.md)
        assertEquals(403, useKey(restored, org, kept.path("key").asText()), "a key from before the dump authenticates");
        assertEquals(403, useKey(restored, org, revokedAfterDump.path("key").asText()),
                "a key revoked after the dump is active again");
        assertEquals(401, useKey(restored, org, createdAfterDump.path("key").asText()),
                "a key created after the dump is gone");

        // (b) a new event after the restore, then everything the restored relay published
        createKey(restored, org, admin);
        awaitPublished(restoredDb);
        Published afterRestore = publishedSince(endBeforeRestore, hashBeforeRestore, restoredDb);
        System.out.printf(
                "[restore] %d events in the dump; %d records on the topic before the restore; after it the restored "
                        + "relay published %d records: %d re-sent (ce_id already on the topic), %d new events%n",
                eventsInDump, hashBeforeRestore.size(), afterRestore.records(), afterRestore.resent().size(),
                afterRestore.newCopies().size());
        assertTrue(afterRestore.newCopies().size() >= 1, "the key created after the restore is published");
        afterRestore.newCopies().forEach((ceId, n) -> assertEquals(1, n, "copies of the new event " + ceId));
        restored.kill();

        // (c) the same dump restored with its relay checkpoint removed: the far end of a restore to a moment after a
        // publication but before the relay saved its checkpoint. The relay then re-sends the whole restored log; each
        // record is one already on the topic (same ce_id, same ledger hash), none is a new duplicate.
        restore(dump, rewoundDb);
        try (Connection connection = connect(rewoundDb); Statement rewind = connection.createStatement()) {
            assertEquals(1, rewind.executeUpdate("DELETE FROM relay_checkpoints"), "the dumped relay checkpoint");
        }
        Map<TopicPartition, Long> endBeforeRewound = new HashMap<>();
        Map<String, String> hashBeforeRewound = topicHashes(endBeforeRewound);
        launch("restore-rewound", rewoundDb, environment);
        awaitPublished(rewoundDb);
        Published rewound = publishedSince(endBeforeRewound, hashBeforeRewound, rewoundDb);
        System.out.printf(
                "[restore] the same dump without its relay checkpoint: the relay published %d records, %d distinct "
                        + "ce_ids already on the topic, %d new events%n",
                rewound.records(), rewound.resent().size(), rewound.newCopies().size());
        assertEquals(strings(rewoundDb, "SELECT event_id::text FROM events"), rewound.resent(),
                "every event of the restored log re-sent under its ce_id");
        assertEquals(Map.of(), rewound.newCopies(), "new events: the log did not change, so none");
    }

    /** What a relay published after a point: the ce_ids it re-sent (already on the topic), and each new one's copies. */
    private record Published(int records, Set<String> resent, Map<String, Integer> newCopies) {
    }

    /**
     * The records after {@code end}: each must be an event of {@code database}'s log; one whose ce_id was already on the
     * topic must carry the same ledger hash as before (a re-send of the same event).
     */
    private Published publishedSince(Map<TopicPartition, Long> end, Map<String, String> hashBefore, String database) {
        Set<String> log = strings(database, "SELECT event_id::text FROM events");
        Set<String> resent = new HashSet<>();
        Map<String, Integer> copies = new HashMap<>();
        List<ConsumerRecord<String, String>> records = readTopic(end, new HashMap<>());
        for (ConsumerRecord<String, String> record : records) {
            String ceId = KafkaTopics.header(record, "ce_id");
            assertTrue(log.contains(ceId), "published " + ceId + ", not an event of the restored log");
            if (hashBefore.containsKey(ceId)) {
                resent.add(ceId);
                assertEquals(hashBefore.get(ceId), String.valueOf(KafkaTopics.header(record, "ce_ledgerhash")),
                        "a re-sent " + ceId + " is the same event");
            } else {
                copies.merge(ceId, 1, Integer::sum);
            }
        }
        return new Published(records.size(), resent, copies);
    }

    /** ce_id -> ce_ledgerhash of every record on the topic now; its end offsets go into {@code end}. */
    private Map<String, String> topicHashes(Map<TopicPartition, Long> end) {
        Map<String, String> hashes = new HashMap<>();
        for (ConsumerRecord<String, String> record : readTopic(Map.of(), end)) {
            hashes.put(KafkaTopics.header(record, "ce_id"),
                    String.valueOf(KafkaTopics.header(record, "ce_ledgerhash")));
        }
        return hashes;
    }

    private void restore(Path dump, String database) throws Exception {
        try (Connection server = DriverManager.getConnection(serverUrl, user, password);
                Statement create = server.createStatement()) {
            create.execute("CREATE DATABASE " + database);
        }
        run(pgBin.resolve("pg_restore").toString(), "--no-owner", "--dbname=" + database, dump.toString());
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_USERNAME", user);
        env.put("QUARKUS_DATASOURCE_PASSWORD", password);
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KEYLEDGER_RELAY_TOPIC", TOPIC);
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", ReplicaHarness.testResource("test-jwt/test-only-public-key.pem"));
        env.put("MP_JWT_VERIFY_ISSUER", ReplicaHarness.ISSUER);
        // one pepper for both processes (it lives outside the database, as in production), fresh per run
        env.put("KEYLEDGER_KEYS_HASH_PEPPER", "restore-it-" + ReplicaHarness.randomSecret());
        env.put("KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION",
                ReplicaHarness.testResource("test-ledger/test-only-ledger-signing-key.pem"));
        env.put("KEYLEDGER_LEDGER_CHECKPOINT_INTERVAL", "1s");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        return env;
    }

    private Replica launch(String name, String database, Map<String, String> common) {
        Map<String, String> env = new LinkedHashMap<>(common);
        String jdbcUrl = serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + database;
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", jdbcUrl.substring("jdbc:".length()));
        Replica replica = Replica.launch(name, jar, work, env, http);
        replicas.add(replica);
        return replica.awaitReady(READY);
    }

    /** Every event of the database is on the topic, and a signed checkpoint covers the last one outside the ledger stream. */
    private void awaitPublishedAndCheckpointed(String database) {
        await("a checkpoint of " + database).atMost(PUBLISHED).pollInterval(Duration.ofMillis(500))
                .until(() -> count(database,
                        "SELECT count(*) FROM events WHERE stream_id = 'ledger' AND (data->>'position')::bigint"
                                + " = (SELECT max(position) FROM events WHERE stream_id <> 'ledger')") >= 1);
        awaitPublished(database);
    }

    /** Every event of the database is on the topic (the checkpointer may append meanwhile: checked until they agree). */
    private void awaitPublished(String database) {
        await("the relay of " + database + " to catch up").atMost(PUBLISHED).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Set<String> log = strings(database, "SELECT event_id::text FROM events");
                    Set<String> onTopic = new HashSet<>();
                    for (ConsumerRecord<String, String> record : readTopic(Map.of(), new HashMap<>())) {
                        onTopic.add(KafkaTopics.header(record, "ce_id"));
                    }
                    return onTopic.containsAll(log);
                });
    }

    /** The topic's records from {@code from} (default: the beginning) to its current end, which goes into {@code end}. */
    private List<ConsumerRecord<String, String>> readTopic(Map<TopicPartition, Long> from,
            Map<TopicPartition, Long> end) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = ReplicaHarness.topicReader(bootstrap, TOPIC)) {
            List<TopicPartition> partitions = ReplicaHarness.partitions(consumer, TOPIC);
            end.putAll(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, from.getOrDefault(partition, 0L));
            }
            await("the topic up to its end").atMost(PUBLISHED).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        records.removeIf(r -> r.offset() >= end.get(new TopicPartition(r.topic(), r.partition())));
        return records;
    }

    private void run(String... command) throws IOException, InterruptedException {
        Path output = work.resolve(Path.of(command[0]).getFileName() + "-" + suffix + ".log");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        String hostPort = serverUrl.substring("jdbc:postgresql://".length(), serverUrl.lastIndexOf('/'));
        int colon = hostPort.lastIndexOf(':');
        builder.environment().put("PGHOST", colon < 0 ? hostPort : hostPort.substring(0, colon));
        builder.environment().put("PGPORT", colon < 0 ? "5432" : hostPort.substring(colon + 1));
        builder.environment().put("PGUSER", user);
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), command[0] + " finished");
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + ":\n" + readQuietly(output));
    }

    private long count(String database, String sql) throws SQLException {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Set<String> strings(String database, String sql) {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            Set<String> values = new HashSet<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + database, user,
                password);
    }

    private JsonNode createKey(Replica replica, String org, String admin) throws IOException {
        return ReplicaHarness.createKey(replica, keyPath(org), admin, "restore", Duration.ofSeconds(30));
    }

    /** 403 while the key authenticates (it may not read another org), 401 once it does not. */
    private int useKey(Replica replica, String org, String key) throws IOException {
        return call("GET", replica, "/api/v2/service-accounts/" + org + "-elsewhere/probe", key, null).statusCode();
    }

    private static String keyPath(String org) {
        return "/api/v2/service-accounts/" + org + "/restored/api-keys";
    }

    private HttpResponse<String> call(String method, Replica replica, String path, String bearer, String body)
            throws IOException {
        return replica.call(method, path, bearer, body, Duration.ofSeconds(30));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
