package io.keyledger.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyledger.testing.RealServices;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What every replicas IT sets up the same way: the packaged jar, the topic, the client, the replicas' settings, key creation. */
final class ReplicaHarness {

    static final String ISSUER = "https://keyledger.test";
    static final ObjectMapper JSON = new ObjectMapper();
    /** How long a replica may take to start (a JVM on a busy machine, Flyway, the broker). */
    static final Duration READY = Duration.ofSeconds(180);

    // held so the levels set in quietLogging() are not lost when the loggers are collected
    private static final List<Logger> QUIETED = new ArrayList<>();

    private ReplicaHarness() {
    }

    /** The jar {@code mvn package} built (system property keyledger.it.jar); fails the test when it is missing. */
    static Path packagedJar() {
        Path jar = Path.of(System.getProperty("keyledger.it.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath();
        assertTrue(Files.exists(jar), "the packaged jar " + jar + " (run ./mvnw package first)");
        return jar;
    }

    /** A test's own folder for its replicas' logs, beside the one of ReplicasIT (system property keyledger.it.logs). */
    static Path workDirectory(String name) throws IOException {
        Path work = Path.of(System.getProperty("keyledger.it.logs", "target/replicas-it")).resolveSibling(name)
                .toAbsolutePath();
        Files.createDirectories(work);
        return work;
    }

    /** Starts the RealServices (PostgreSQL, Kafka) and creates the relay's topic; answers their settings. */
    static Map<String, String> startWithTopic(RealServices services, String topic) throws Exception {
        Map<String, String> serviceConfig = services.start();
        createTopic(serviceConfig.get("kafka.bootstrap.servers"), topic);
        return serviceConfig;
    }

    /** Teardown: kills the replicas still running, then stops the services (when they were created). */
    static void stopAll(List<Replica> replicas, RealServices services) {
        Replica.killAll(replicas);
        if (services != null) {
            services.stop();
        }
    }

    /** The relay's topic, three partitions, on the test broker. */
    static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A reader of the topic's every partition, without a group (the test moves it by hand); seek before polling. */
    static KafkaConsumer<String, String> topicReader(String bootstrap, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        consumer.assign(partitions(consumer, topic));
        return consumer;
    }

    /** The topic's partitions, in order. */
    static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    static HttpClient http(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    /** The settings every replica of a RealServices run shares: its database, the broker, the test issuer's JWT key. */
    static Map<String, String> serviceEnvironment(Map<String, String> serviceConfig, String bootstrap) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", serviceConfig.get("quarkus.datasource.jdbc.url"));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", serviceConfig.get("quarkus.datasource.reactive.url"));
        env.put("QUARKUS_DATASOURCE_USERNAME", serviceConfig.get("quarkus.datasource.username"));
        env.put("QUARKUS_DATASOURCE_PASSWORD", serviceConfig.get("quarkus.datasource.password"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", testResource("test-jwt/test-only-public-key.pem"));
        env.put("MP_JWT_VERIFY_ISSUER", ISSUER);
        return env;
    }

    /** A JDBC connection to the RealServices database the replicas share. */
    static Connection connect(Map<String, String> serviceConfig) throws SQLException {
        return DriverManager.getConnection(serviceConfig.get("quarkus.datasource.jdbc.url"),
                serviceConfig.get("quarkus.datasource.username"), serviceConfig.get("quarkus.datasource.password"));
    }

    /** A fresh secret per run (peppers live outside the database; production refuses the test-only one). */
    static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String testResource(String path) {
        return Path.of("src/test/resources", path).toAbsolutePath().toString();
    }

    /** {@code POST} a key for the account behind {@code keyPath}; asserts the 201 and answers its body. */
    static JsonNode createKey(Replica replica, String keyPath, String admin, String description, Duration timeout)
            throws IOException {
        HttpResponse<String> created = replica.call("POST", keyPath, admin, "{\"description\":\"" + description + "\"}",
                timeout);
        assertEquals(201, created.statusCode(), () -> "create key on " + replica.name + ": " + created.body());
        return JSON.readTree(created.body());
    }

    /** The nearest-rank percentile of sorted values (0 when there are none). */
    static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** Kafka and zonky log at INFO into this test's output; keep their warnings and errors only. */
    static void quietLogging() {
        for (String name : new String[]{"kafka", "org.apache.kafka", "state.change.logger", "io.zonky"}) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIETED.add(logger);
        }
    }
}
